package io.mcpsession.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.mcpsession.store.OverflowPolicy;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.StoreSweeper;
import io.mcpsession.store.memory.InMemorySessionStore;

import static org.assertj.core.api.Assertions.assertThat;

class McpSessionAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(McpSessionAutoConfiguration.class));

    @Test
    void defaultStoreIsInMemory() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(InMemorySessionStore.class);
            assertThat(context.getBean(SessionStore.class).type()).isEqualTo("memory");
            assertThat(context).hasSingleBean(StoreSweeper.class);
            assertThat(context.getBean(StoreSweeper.class).isRunning()).isTrue();
        });
    }

    @Test
    void explicitMemoryType() {
        this.contextRunner.withPropertyValues("mcp.session.store.type=memory")
            .run((context) -> assertThat(context).hasSingleBean(InMemorySessionStore.class));
    }

    @Test
    void whenJdbcTypeHasNoStoreThenStartUpFailsClearly() {
        this.contextRunner.withPropertyValues("mcp.session.store.type=jdbc").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("No mcp-session store could be configured")
                .hasMessageContaining("'jdbc'");
        });
    }

    @Test
    void whenRedisTypeHasNoStoreThenStartUpFailsClearly() {
        this.contextRunner.withPropertyValues("mcp.session.store.type=redis").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("No mcp-session store could be configured")
                .hasMessageContaining("'redis'");
        });
    }

    @Test
    void whenStoreTypeIsUnknownThenStartUpFails() {
        this.contextRunner.withPropertyValues("mcp.session.store.type=cassandra")
            .run((context) -> assertThat(context).hasFailed());
    }

    @Test
    void userStoreReplacesAutoConfiguredStore() {
        this.contextRunner.withUserConfiguration(UserStoreConfiguration.class).run((context) -> {
            assertThat(context).doesNotHaveBean("inMemorySessionStore");
            assertThat(context).hasSingleBean(SessionStore.class);
            assertThat(context.getBean(SessionStore.class)).isSameAs(context.getBean("userStore"));
        });
    }

    @Test
    void propertiesBecomeStoreSettings() {
        this.contextRunner
            .withPropertyValues("mcp.session.timeout=5m", "mcp.session.max-sessions=7",
                    "mcp.session.events.max-per-session=50", "mcp.session.events.ttl=10m",
                    "mcp.session.events.overflow=reject", "mcp.session.events.max-event-bytes=2KB",
                    "mcp.session.feed.enabled=false", "mcp.session.feed.max-entries=99", "mcp.session.feed.ttl=1h")
            .run((context) -> {
                StoreSettings settings = context.getBean(StoreSettings.class);
                assertThat(settings.timeout()).isEqualTo(Duration.ofMinutes(5));
                assertThat(settings.maxSessions()).isEqualTo(7);
                assertThat(settings.maxEventsPerSession()).isEqualTo(50);
                assertThat(settings.eventTtl()).isEqualTo(Duration.ofMinutes(10));
                assertThat(settings.overflow()).isEqualTo(OverflowPolicy.REJECT);
                assertThat(settings.maxEventBytes()).isEqualTo(2048);
                assertThat(settings.feedEnabled()).isFalse();
                assertThat(settings.feedMaxEntries()).isEqualTo(99);
                assertThat(settings.feedTtl()).isEqualTo(Duration.ofHours(1));
            });
    }

    @Test
    void defaultsMatchTheContract() {
        this.contextRunner.run((context) -> assertThat(context.getBean(StoreSettings.class))
            .isEqualTo(StoreSettings.defaults()));
    }

    @Test
    void userSettingsReplaceProperties() {
        StoreSettings custom = StoreSettings.defaults().withMaxSessions(3);
        this.contextRunner.withBean(StoreSettings.class, () -> custom)
            .run((context) -> assertThat(context.getBean(StoreSettings.class)).isSameAs(custom));
    }

    @Test
    void userSweeperReplacesAutoConfiguredSweeper() {
        this.contextRunner.withUserConfiguration(UserSweeperConfiguration.class).run((context) -> {
            assertThat(context).hasSingleBean(StoreSweeper.class);
            assertThat(context.getBean(StoreSweeper.class)).isSameAs(context.getBean("userSweeper"));
        });
    }

    @Test
    void sweeperStopsWithTheContext() {
        this.contextRunner.run((context) -> {
            StoreSweeper sweeper = context.getBean(StoreSweeper.class);
            context.close();
            assertThat(sweeper.isRunning()).isFalse();
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserStoreConfiguration {

        @Bean
        SessionStore userStore() {
            return new InMemorySessionStore(StoreSettings.defaults());
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class UserSweeperConfiguration {

        @Bean
        StoreSweeper userSweeper(SessionStore store) {
            return new StoreSweeper(store, Duration.ofHours(1), (result) -> {
            });
        }

    }

}
