package io.mcpsession.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnection;

/**
 * Calls on many keys in one round trip over Lettuce's shared connection, which writes commands as they are
 * issued and reads the replies in order: issuing them all before awaiting any is a pipeline. Spring Data Redis's
 * own pipeline opens a connection of its own for every use, a TCP handshake and a {@code HELLO} per feed round.
 * Only {@link StoreConnection} calls this, and only where Lettuce is on the class path and
 * {@link #isLettuce(RedisConnection)}.
 */
final class LettucePipeline {

    private LettucePipeline() {
    }

    /** Whether {@code redis} is Lettuce's connection to one Redis (a cluster's is not a RedisAsyncCommands). */
    static boolean isLettuce(RedisConnection redis) {
        return redis.getNativeConnection() instanceof RedisAsyncCommands<?, ?>;
    }

    /** Runs a script once per key list, loading it first on the same connection, and returns its replies. */
    static List<List<?>> scripts(RedisConnection redis, String sha1, byte[] text, List<byte[][]> keys,
            List<byte[][]> args) {
        return pipelined(redis, (async) -> {
            List<RedisFuture<List<?>>> replies = new ArrayList<>(keys.size());
            async.scriptLoad(text);
            for (int i = 0; i < keys.size(); i++) {
                replies.add(async.evalsha(sha1, ScriptOutputType.MULTI, keys.get(i), args.get(i)));
            }
            return replies;
        });
    }

    /** The first {@code count} elements of each list. */
    static List<List<byte[]>> heads(RedisConnection redis, List<byte[]> keys, long count) {
        return pipelined(redis, (async) -> {
            List<RedisFuture<List<byte[]>>> heads = new ArrayList<>(keys.size());
            for (byte[] key : keys) {
                heads.add(async.lrange(key, 0, count - 1));
            }
            return heads;
        });
    }

    /** The given fields of each hash, {@code null} where one is missing. */
    static List<List<byte @Nullable []>> fields(RedisConnection redis, List<byte[]> keys, byte[][] fields) {
        List<List<KeyValue<byte[], byte[]>>> replies = pipelined(redis, (async) -> {
            List<RedisFuture<List<KeyValue<byte[], byte[]>>>> rows = new ArrayList<>(keys.size());
            for (byte[] key : keys) {
                rows.add(async.hmget(key, fields));
            }
            return rows;
        });
        List<List<byte @Nullable []>> rows = new ArrayList<>(replies.size());
        for (List<KeyValue<byte[], byte[]>> reply : replies) {
            List<byte @Nullable []> row = new ArrayList<>(reply.size());
            reply.forEach((field) -> row.add(field.getValueOrElse(null)));
            rows.add(row);
        }
        return rows;
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> pipelined(RedisConnection redis,
            Function<RedisAsyncCommands<byte[], byte[]>, List<RedisFuture<T>>> issue) {
        RedisAsyncCommands<byte[], byte[]> async = (RedisAsyncCommands<byte[], byte[]>) redis.getNativeConnection();
        long timeout = async.getStatefulConnection().getTimeout().toNanos();
        List<T> replies = new ArrayList<>();
        for (RedisFuture<T> reply : issue.apply(async)) {
            replies.add(LettuceFutures.awaitOrCancel(reply, timeout, TimeUnit.NANOSECONDS));
        }
        return replies;
    }

}
