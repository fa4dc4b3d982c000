package io.mcpsession.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.ClassUtils;

/**
 * The store's way to Redis: runs its scripts and commands through Spring Data Redis, and turns a Redis that
 * cannot be reached into {@code STORE_UNAVAILABLE}. Calls on many sessions' keys are pipelined (one round trip)
 * on Lettuce's shared connection ({@link LettucePipeline}); on a cluster and with another client they run
 * one by one.
 */
final class StoreConnection {

    private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.api.async.RedisAsyncCommands",
            StoreConnection.class.getClassLoader());

    private final StringRedisTemplate template;

    private volatile @Nullable Boolean pipelines;

    StoreConnection(RedisConnectionFactory connectionFactory) {
        this.template = new StringRedisTemplate(connectionFactory);
    }

    /** Runs a script ({@code EVALSHA}, falling back to {@code EVAL} when Redis does not know it yet). */
    @SuppressWarnings("rawtypes")
    ScriptReply run(RedisScript<List> script, List<String> keys, List<String> args) {
        return call((template) -> new ScriptReply(template.execute(script, keys, args.toArray())));
    }

    /** Runs a script once per key list, with the matching arguments. */
    @SuppressWarnings("rawtypes")
    List<ScriptReply> runEach(RedisScript<List> script, List<List<String>> keys, List<List<String>> args) {
        List<ScriptReply> replies = new ArrayList<>(keys.size());
        if (!pipelines(keys)) {
            for (int i = 0; i < keys.size(); i++) {
                replies.add(run(script, keys.get(i), args.get(i)));
            }
            return replies;
        }
        byte[] text = script.getScriptAsString().getBytes(StandardCharsets.UTF_8);
        List<byte[][]> keyBytes = keys.stream().map(StoreConnection::bytes).toList();
        List<byte[][]> argBytes = args.stream().map(StoreConnection::bytes).toList();
        call((template) -> template.execute((RedisCallback<List<List<?>>>) (redis) -> LettucePipeline
            .scripts(redis, script.getSha1(), text, keyBytes, argBytes)))
            .forEach((result) -> replies.add(new ScriptReply(result)));
        return replies;
    }

    /** The first {@code count} elements of each list. */
    List<List<String>> heads(List<String> keys, long count) {
        if (!pipelines(keys)) {
            List<List<String>> heads = new ArrayList<>(keys.size());
            for (String key : keys) {
                List<String> head = call((template) -> template.opsForList().range(key, 0, count - 1));
                heads.add((head != null) ? head : List.of());
            }
            return heads;
        }
        List<byte[]> keyBytes = keys.stream().map(StoreConnection::bytes).toList();
        List<List<String>> heads = new ArrayList<>(keys.size());
        call((template) -> template
            .execute((RedisCallback<List<List<byte[]>>>) (redis) -> LettucePipeline.heads(redis, keyBytes, count)))
            .forEach((head) -> heads.add(head.stream().map(StoreConnection::text).toList()));
        return heads;
    }

    /** The given fields of each hash, {@code null} where a field (or the hash) is missing. */
    List<List<@Nullable String>> fields(List<String> keys, String... fields) {
        List<List<@Nullable String>> values = new ArrayList<>(keys.size());
        if (!pipelines(keys)) {
            for (String key : keys) {
                values.add(call((template) -> template.<String, String>opsForHash().multiGet(key, List.of(fields))));
            }
            return values;
        }
        List<byte[]> keyBytes = keys.stream().map(StoreConnection::bytes).toList();
        byte[][] names = bytes(List.of(fields));
        call((template) -> template.execute(
                (RedisCallback<List<List<byte @Nullable []>>>) (redis) -> LettucePipeline.fields(redis, keyBytes, names)))
            .forEach((row) -> {
                List<@Nullable String> texts = new ArrayList<>(row.size());
                row.forEach((value) -> texts.add((value != null) ? text(value) : null));
                values.add(texts);
            });
        return values;
    }

    /** Runs plain commands. */
    <T> T call(Function<StringRedisTemplate, T> action) {
        try {
            return action.apply(this.template);
        }
        catch (RuntimeException ex) {
            throw RedisFailures.translate(ex);
        }
    }

    /** Whether calls on these keys share one round trip: more than one, on Lettuce's connection to one Redis. */
    private boolean pipelines(List<?> keys) {
        if (keys.size() < 2) {
            return false;
        }
        Boolean pipelines = this.pipelines;
        if (pipelines == null) {
            pipelines = LETTUCE_PRESENT && call((template) -> template
                .execute((RedisCallback<Boolean>) LettucePipeline::isLettuce));
            this.pipelines = pipelines;
        }
        return Boolean.TRUE.equals(pipelines);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] bytes(List<String> values) {
        byte[][] bytes = new byte[values.size()][];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = bytes(values.get(i));
        }
        return bytes;
    }

    private static String text(byte[] value) {
        return new String(value, StandardCharsets.UTF_8);
    }

}
