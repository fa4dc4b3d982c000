package io.mcpsession.redis;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import io.mcpsession.testengines.TestRedis;

/**
 * The real Redis the tests run against, found by {@link TestRedis} (its variable, the default local port,
 * Testcontainers, an embedded server; never a skip), and the tests' shared connection to it.
 */
public final class RedisTestServer {

    private static final RedisScript<Long> DELETE_KEYS = RedisScript.of("""
            local keys = redis.call('KEYS', ARGV[1])
            for i = 1, #keys, 1000 do
                redis.call('DEL', unpack(keys, i, math.min(i + 999, #keys)))
            end
            return #keys
            """, Long.class);

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

    /**
     * Deletes every key under {@code prefix} at once, as {@code FLUSHDB} would (a scan and a delete would let
     * running instances write between the two, and leave a store no real flush leaves).
     */
    public static void deleteKeys(String prefix) {
        new StringRedisTemplate(connectionFactory()).execute(DELETE_KEYS, List.of(), prefix + "*");
    }

    /** The URL of the Redis to test against. */
    public static String url() {
        return TestRedis.url();
    }

}
