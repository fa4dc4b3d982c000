package io.mcpsession.autoconfigure;

import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.jdbc.JdbcSessionStore;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.memory.InMemorySessionStore;

import static org.assertj.core.api.Assertions.assertThat;

class JdbcStoreConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(McpSessionAutoConfiguration.class))
        .withBean(DataSource.class, JdbcStoreConfigurationTests::newH2);

    @Test
    void jdbcIsChosenWhereADataSourceExists() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(JdbcSessionStore.class);
            SessionStore store = context.getBean(SessionStore.class);
            store.create(NewSession.withId("s"));
            assertThat(store.append("s", NewEvent.of("t", "1")).event().seq()).isEqualTo(1);
            assertThat(store.describe()).startsWith("jdbc (h2");
        });
    }

    @Test
    void embeddedDatabaseGetsItsTablesByDefault() {
        this.contextRunner.run((context) -> assertThat(new JdbcTemplate(context.getBean(DataSource.class))
            .queryForObject("SELECT COUNT(*) FROM MCP_SESSIONS", Integer.class)).isZero());
    }

    @Test
    void tablePrefixIsApplied() {
        this.contextRunner.withPropertyValues("mcp.session.store.jdbc.table-prefix=APP_SESSION_")
            .run((context) -> assertThat(new JdbcTemplate(context.getBean(DataSource.class))
                .queryForObject("SELECT COUNT(*) FROM APP_SESSION_EVENTS", Integer.class)).isZero());
    }

    @Test
    void whenSchemaInitializationIsNeverAndTablesAreMissingThenStartUpFailsClearly() {
        this.contextRunner.withPropertyValues("mcp.session.store.jdbc.initialize-schema=never").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("MCP_SESSIONS")
                .hasMessageContaining("mcp.session.store.jdbc.initialize-schema=always")
                .hasMessageContaining("db/migration/mcp-session/h2");
        });
    }

    @Test
    void whenTablesAreOfAnotherVersionThenStartUpFailsClearly() {
        DataSource dataSource = newH2();
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(McpSessionAutoConfiguration.class))
            .withBean(DataSource.class, () -> dataSource)
            .run((context) -> assertThat(context).hasNotFailed());
        new JdbcTemplate(dataSource).update("UPDATE MCP_STORE SET VALUE_TEXT = '99' WHERE NAME = 'schema-version'");
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(McpSessionAutoConfiguration.class))
            .withBean(DataSource.class, () -> dataSource)
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("schema version 99");
            });
    }

    @Test
    void explicitMemoryWinsOverADataSource() {
        this.contextRunner.withPropertyValues("mcp.session.store.type=memory").run((context) -> {
            assertThat(context).doesNotHaveBean(JdbcSessionStore.class);
            assertThat(context).hasSingleBean(InMemorySessionStore.class);
        });
    }

    @Test
    void userStoreBacksOffTheJdbcStore() {
        this.contextRunner.withBean("userStore", SessionStore.class, () -> new InMemorySessionStore(StoreSettings.defaults()))
            .run((context) -> {
                assertThat(context).doesNotHaveBean(JdbcSessionStore.class);
                assertThat(context.getBean(SessionStore.class)).isSameAs(context.getBean("userStore"));
            });
    }

    @Test
    void whenSpringJdbcIsMissingThenMemory() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(JdbcTemplate.class))
            .run((context) -> assertThat(context).hasSingleBean(InMemorySessionStore.class));
    }

    @Test
    void pollIntervalIsBound() {
        this.contextRunner.withPropertyValues("mcp.session.store.jdbc.poll-interval=250ms")
            .run((context) -> assertThat(context.getBean(McpSessionProperties.class).getStore().getJdbc().getPollInterval())
                .hasMillis(250));
    }

    @Test
    void listenNotifyIsOnByDefaultAndCanBeTurnedOff() {
        this.contextRunner.run((context) -> assertThat(
                context.getBean(McpSessionProperties.class).getStore().getJdbc().isListenNotify()).isTrue());
        this.contextRunner.withPropertyValues("mcp.session.store.jdbc.listen-notify=false")
            .run((context) -> assertThat(
                    context.getBean(McpSessionProperties.class).getStore().getJdbc().isListenNotify()).isFalse());
    }

    @Test
    void onADatabaseWithoutNotificationsTheStoreDoesNotListen() {
        this.contextRunner.run((context) -> assertThat(context.getBean(JdbcSessionStore.class).listening()).isFalse());
    }

    private static DataSource newH2() {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        return dataSource;
    }

}
