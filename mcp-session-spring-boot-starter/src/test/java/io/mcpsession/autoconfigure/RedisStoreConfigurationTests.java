package io.mcpsession.autoconfigure;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.mcpsession.core.NewSession;
import io.mcpsession.redis.RedisSessionStore;
import io.mcpsession.redis.RedisTestServer;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.memory.InMemorySessionStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Selection of the Redis store, against a real Redis ({@link RedisTestServer}).
 */
class RedisStoreConfigurationTests {

    private final String keyPrefix = RedisTestServer.newKeyPrefix();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, McpSessionAutoConfiguration.class))
        .withPropertyValues("spring.data.redis.url=" + RedisTestServer.url(),
                "mcp.session.store.redis.key-prefix=" + this.keyPrefix);

    @AfterEach
    void deleteKeys() {
        RedisTestServer.deleteKeys(this.keyPrefix);
    }

    @Test
    void redisIsDetectedWhereAConnectionFactoryExists() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(RedisSessionStore.class);
            assertThat(context).doesNotHaveBean(InMemorySessionStore.class);
            assertThat(context.getBean(SessionStore.class).type()).isEqualTo("redis");
        });
    }

    @Test
    void explicitRedisType() {
        this.contextRunner.withPropertyValues("mcp.session.store.type=redis")
            .run((context) -> assertThat(context).hasSingleBean(RedisSessionStore.class));
    }

    @Test
    void keysStartWithTheConfiguredPrefixAndSchemaVersion() {
        this.contextRunner.run((context) -> {
            SessionStore store = context.getBean(SessionStore.class);
            store.create(NewSession.withId("prefixed"));

            assertThat(store.describe()).contains(this.keyPrefix + "v1:");
            StringRedisTemplate redis = new StringRedisTemplate(context.getBean(RedisConnectionFactory.class));
            assertThat(redis.hasKey(this.keyPrefix + "v1:{prefixed}:meta")).isTrue();
        });
    }

    @Test
    void storeSettingsComeFromProperties() {
        this.contextRunner.withPropertyValues("mcp.session.max-sessions=1").run((context) -> {
            SessionStore store = context.getBean(SessionStore.class);
            store.create(NewSession.withId("only"));

            assertThat(context.getBean(StoreSettings.class).maxSessions()).isEqualTo(1);
            assertThat(store.countSessions()).isEqualTo(1);
        });
    }

    @Test
    void storeStopsAfterTheWebServerAndBeforeTheConnectionFactory() {
        this.contextRunner.run((context) -> {
            int phase = context.getBean(RedisStoreLifecycle.class).getPhase();
            assertThat(phase).isGreaterThan(0).isLessThan(SmartLifecycle.DEFAULT_PHASE - 2048);
        });
    }

    @Test
    void whenTypeIsMemoryThenMemoryWinsOverRedis() {
        this.contextRunner.withPropertyValues("mcp.session.store.type=memory").run((context) -> {
            assertThat(context).hasSingleBean(InMemorySessionStore.class);
            assertThat(context).doesNotHaveBean(RedisSessionStore.class);
        });
    }

    @Test
    void whenUserDefinesAStoreThenRedisBacksOff() {
        this.contextRunner.withUserConfiguration(UserStoreConfiguration.class).run((context) -> {
            assertThat(context).doesNotHaveBean(RedisSessionStore.class);
            assertThat(context.getBean(SessionStore.class)).isSameAs(context.getBean("userStore"));
        });
    }

    @Test
    void whenSpringDataRedisIsMissingThenMemoryIsUsed() {
        this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
            .run((context) -> {
                assertThat(context).hasSingleBean(InMemorySessionStore.class);
                assertThat(context).doesNotHaveBean("redisSessionStore");
            });
    }

    @Test
    void whenRedisTypeHasNoConnectionFactoryThenStartUpFailsClearly() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(McpSessionAutoConfiguration.class))
            .withPropertyValues("mcp.session.store.type=redis")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("'redis'")
                    .hasMessageContaining("RedisConnectionFactory");
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class UserStoreConfiguration {

        @Bean
        SessionStore userStore() {
            return new InMemorySessionStore(StoreSettings.defaults());
        }

    }

}
