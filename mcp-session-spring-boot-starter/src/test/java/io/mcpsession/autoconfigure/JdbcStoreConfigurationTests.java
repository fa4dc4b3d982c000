package io.mcpsession.autoconfigure;

import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
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
    void tablesOfVersionOneAreUpgradedWithThePrincipalOfEveryFeedEntry() {
        DataSource dataSource = newH2();
        new ResourceDatabasePopulator(new ClassPathResource("db/migration/mcp-session/h2/V1__mcp_session_schema.sql"))
            .execute(dataSource);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.update("INSERT INTO MCP_SESSIONS (ID, CREATED_AT, LAST_ACTIVITY, EXPIRES_AT, INITIALIZED, METADATA, "
                + "PRINCIPAL, EPOCH, LAST_SEQ, EARLIEST_RETAINED) VALUES ('live', 1, 1, 9999999999999, FALSE, '{}', 'alice', 'e', 0, 1)");
        jdbc.update("INSERT INTO MCP_REMOVED_SESSIONS (ID, CREATED_AT, PRINCIPAL, REASON, REMOVED_AT) "
                + "VALUES ('gone', 1, 'bob', 'deleted', 2)");
        jdbc.update("INSERT INTO MCP_FEED (SEQ, ENTRY_TYPE, SESSION_ID, CREATED_AT) VALUES (1, 'session.created', 'live', 1)");
        jdbc.update("INSERT INTO MCP_FEED (SEQ, ENTRY_TYPE, SESSION_ID, CREATED_AT) VALUES (2, 'session.deleted', 'gone', 2)");

        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(McpSessionAutoConfiguration.class))
            .withBean(DataSource.class, () -> dataSource)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(jdbc.queryForObject("SELECT VALUE_TEXT FROM MCP_STORE WHERE NAME = 'schema-version'",
                        String.class)).isEqualTo("3");
                assertThat(jdbc.queryForList("SELECT PRINCIPAL FROM MCP_FEED WHERE SEQ <= 2 ORDER BY SEQ", String.class))
                    .containsExactly("alice", "bob");
            });
    }

    @Test
    void tablesOfVersionTwoAreUpgradedAndTheirEventsReadAsAppended() {
        DataSource dataSource = newH2();
        for (String script : new String[] { "V1__mcp_session_schema.sql", "V2__mcp_session_feed_principal.sql" }) {
            new ResourceDatabasePopulator(new ClassPathResource("db/migration/mcp-session/h2/" + script))
                .execute(dataSource);
        }
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.update("INSERT INTO MCP_SESSIONS (ID, CREATED_AT, LAST_ACTIVITY, EXPIRES_AT, INITIALIZED, METADATA, "
                + "EPOCH, LAST_SEQ, EARLIEST_RETAINED) VALUES ('live', 1, 1, 9999999999999, FALSE, '{}', 'e', 1, 1)");
        jdbc.update("INSERT INTO MCP_EVENTS (SESSION_ID, SEQ, EVENT_ID, EVENT_TYPE, DATA, RUN_ID, METADATA, CREATED_AT) "
                + "VALUES ('live', 1, 'old', 'message', '1', NULL, '{}', 1767315845678)");

        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(McpSessionAutoConfiguration.class))
            .withBean(DataSource.class, () -> dataSource)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(jdbc.queryForObject("SELECT VALUE_TEXT FROM MCP_STORE WHERE NAME = 'schema-version'",
                        String.class)).isEqualTo("3");
                SessionStore store = context.getBean(SessionStore.class);
                Instant produced = Instant.parse("2020-05-06T07:08:09.010Z");
                store.append("live", NewEvent.of("new", "message", "2").withTimestamp(produced));
                assertThat(store.read("live", EventQuery.after(0)).events()).extracting(EventRecord::timestamp)
                    .containsExactly(Instant.ofEpochMilli(1767315845678L), produced);
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
