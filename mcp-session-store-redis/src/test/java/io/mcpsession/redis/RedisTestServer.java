package io.mcpsession.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.mcpsession.testengines.TestRedis;

/**
 * The real Redis the tests run against, found by {@link TestRedis} (its variable, the default local port,
 * Testcontainers, an embedded server; never a skip), and the tests' shared connection to it.
 */
public final class RedisTestServer {

    private static LettuceConnectionFactory connectionFactory;

    private RedisTestServer() {
    }

    /** The shared connection factory of every Redis test. */
    public static synchronized RedisConnectionFactory connectionFactory() {
        if (connectionFactory == null) {
            LettuceConnectionFactory factory = new LettuceConnectionFactory(
                    LettuceConnectionFactory.createRedisConfiguration(url()));
            factory.afterPropertiesSet();
            factory.start();
            connectionFactory = factory;
        }
        return connectionFactory;
    }

    /**
     * A connection factory of its own (another instance's, or one for a server of the test's own), started; the
     * caller destroys it.
     * @param commandTimeout how long a command waits for its reply (also while Redis cannot be reached)
     */
    public static LettuceConnectionFactory newConnectionFactory(String url, Duration commandTimeout) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                LettuceConnectionFactory.createRedisConfiguration(url),
                LettuceClientConfiguration.builder().commandTimeout(commandTimeout).build());
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /** A key prefix of its own, so that a store starts empty (its feed too). */
    public static String newKeyPrefix() {
        return "test:" + UUID.randomUUID() + ":";
    }

    /** Deletes every key under {@code prefix}. */
    public static void deleteKeys(String prefix) {
        StringRedisTemplate template = new StringRedisTemplate(connectionFactory());
        List<String> keys = new ArrayList<>();
        try (Cursor<String> cursor = template.scan(ScanOptions.scanOptions().match(prefix + "*").count(1000).build())) {
            cursor.forEachRemaining(keys::add);
        }
        if (!keys.isEmpty()) {
            template.delete(keys);
        }
    }

    /** The URL of the Redis to test against. */
    public static String url() {
        return TestRedis.url();
    }

}
