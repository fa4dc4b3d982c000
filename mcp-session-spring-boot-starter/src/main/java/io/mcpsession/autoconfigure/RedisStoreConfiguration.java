package io.mcpsession.autoconfigure;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import io.mcpsession.redis.RedisSessionStore;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

/**
 * The Redis store: chosen where Spring Data Redis supplies a {@link RedisConnectionFactory} and no store comes
 * before it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(RedisConnectionFactory.class)
@ConditionalOnBean(RedisConnectionFactory.class)
@ConditionalOnMissingBean(SessionStore.class)
@Conditional(StoreCondition.class)
class RedisStoreConfiguration {

    @Bean(destroyMethod = "close")
    RedisSessionStore redisSessionStore(RedisConnectionFactory redisConnectionFactory, StoreSettings settings,
            McpSessionProperties properties) {
        McpSessionProperties.Redis redis = properties.getStore().getRedis();
        return new RedisSessionStore(redisConnectionFactory, settings, redis.getKeyPrefix(), Clock.systemUTC(),
                redis.getPositionCheckInterval());
    }

    @Bean
    RedisStoreLifecycle redisSessionStoreLifecycle(SessionStore redisSessionStore) {
        return new RedisStoreLifecycle(redisSessionStore);
    }

}
