package io.mcpsession.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.redis.testcontainers.RedisContainer;
import org.testcontainers.DockerClientFactory;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The real Redis the tests run against: the one {@code MCP_SESSION_TEST_REDIS_URL} names (for example
 * {@code redis://127.0.0.1:6379}), else a Testcontainers Redis where Docker runs. Without either the tests fail:
 * a skipped Redis test would hide a broken store.
 */
public final class RedisTestServer {

    public static final String URL_VARIABLE = "MCP_SESSION_TEST_REDIS_URL";

    private static LettuceConnectionFactory connectionFactory;

    private static RedisContainer container;

    private static String containerUrl;

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
    public static synchronized String url() {
        if (containerUrl != null) {
            return containerUrl;
        }
        String url = System.getenv(URL_VARIABLE);
        if (url != null && !url.isBlank()) {
            return url;
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            container = new RedisContainer(RedisContainer.DEFAULT_IMAGE_NAME.withTag(RedisContainer.DEFAULT_TAG));
            container.start();
            containerUrl = "redis://" + container.getRedisHost() + ":" + container.getRedisPort();
            return containerUrl;
        }
        throw new IllegalStateException("No Redis to test against: set " + URL_VARIABLE
                + " to a redis:// URL, or make Docker available to Testcontainers");
    }

}
