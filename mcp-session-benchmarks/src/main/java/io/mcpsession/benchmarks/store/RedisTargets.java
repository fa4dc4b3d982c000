package io.mcpsession.benchmarks.store;

import java.util.UUID;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.mcpsession.redis.RedisSessionStore;
import io.mcpsession.testengines.TestRedis;

/**
 * The {@code redis} targets: {@link RedisSessionStore} through its API against {@link RawRedisEngine}, on the
 * Redis that {@value #URL_VARIABLE} names, else the tests' Redis ({@link TestRedis}).
 * Each target works under a key prefix of its own and deletes its keys when closed, so that iterations start
 * empty and runs leave nothing behind.
 */
public final class RedisTargets {

    static final String URL_VARIABLE = "MCP_SESSION_BENCH_REDIS_URL";

    private RedisTargets() {
    }

    /** The store through its API ({@code api}) or the same script called raw ({@code raw}). */
    static AppendTarget create(boolean api) {
        String url = url();
        String prefix = newKeyPrefix();
        if (!api) {
            return new RawRedisEngine(url, StoreTargets.settings(), prefix);
        }
        LettuceConnectionFactory factory = connectionFactory(url);
        return new StoreApiTarget(new RedisSessionStore(factory, StoreTargets.settings(), prefix), () -> {
            try {
                deleteKeys(url, prefix);
            }
            finally {
                factory.destroy();
            }
        });
    }

    /** A fresh key prefix, so that runs never share keys. */
    public static String newKeyPrefix() {
        return "bench:" + UUID.randomUUID() + ":";
    }

    /** The benchmark's Redis, as a {@code redis://} URL. */
    public static String url() {
        return StoreTargets.location(URL_VARIABLE, TestRedis::url);
    }

    /** A started connection factory, as the starter's auto-configuration would build from a URL. */
    static LettuceConnectionFactory connectionFactory(String url) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(
                LettuceConnectionFactory.createRedisConfiguration(url));
        factory.afterPropertiesSet();
        factory.start();
        return factory;
    }

    /** Deletes every key under {@code prefix} in the Redis at {@code url}. */
    public static void deleteKeys(String url, String prefix) {
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            deleteKeys(connection.sync(), prefix);
        }
        finally {
            client.shutdown();
        }
    }

    /** Deletes every key under {@code prefix}. */
    static void deleteKeys(RedisCommands<String, String> redis, String prefix) {
        ScanArgs match = ScanArgs.Builder.matches(prefix + "*").limit(1000);
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, match);
            if (!page.getKeys().isEmpty()) {
                redis.unlink(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
        }
        while (!cursor.isFinished());
    }

}
