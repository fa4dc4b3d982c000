package io.mcpsession.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The store's way to Redis: runs its scripts and commands through Spring Data Redis, and turns a Redis that
 * cannot be reached into {@code STORE_UNAVAILABLE}. Calls on many sessions' keys are pipelined (one round trip)
 * where the connection allows it; on a cluster, and for a few calls, they run one by one (Spring Data Redis
 * pipelines on a dedicated connection, which costs more than a few round trips on the shared one).
 */
final class StoreConnection {

    /** The fewest calls worth a pipeline. */
    private static final int PIPELINE_FROM = 8;

    private final StringRedisTemplate template;

    private volatile @Nullable Boolean cluster;

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
        if (keys.size() < PIPELINE_FROM || isCluster()) {
            for (int i = 0; i < keys.size(); i++) {
                replies.add(run(script, keys.get(i), args.get(i)));
            }
            return replies;
        }
        byte[] text = script.getScriptAsString().getBytes(StandardCharsets.UTF_8);
        List<Object> results = call((template) -> template.executePipelined((RedisCallback<Object>) (redis) -> {
            // Loaded first, in the same pipeline: a Redis that restarted or was flushed knows it again.
            redis.scriptingCommands().scriptLoad(text);
            for (int i = 0; i < keys.size(); i++) {
                redis.scriptingCommands().evalSha(script.getSha1(), ReturnType.MULTI, keys.get(i).size(),
                        bytes(keys.get(i), args.get(i)));
            }
            return null;
        }));
        for (Object result : results.subList(1, results.size())) {
            replies.add(new ScriptReply((List<?>) result));
        }
        return replies;
    }

    /** The first {@code count} elements of each list. */
    List<List<String>> heads(List<String> keys, long count) {
        if (keys.size() < PIPELINE_FROM || isCluster()) {
            List<List<String>> heads = new ArrayList<>(keys.size());
            for (String key : keys) {
                List<String> head = call((template) -> template.opsForList().range(key, 0, count - 1));
                heads.add((head != null) ? head : List.of());
            }
            return heads;
        }
        List<Object> results = call((template) -> template.executePipelined((RedisCallback<Object>) (redis) -> {
            for (String key : keys) {
                redis.listCommands().lRange(key.getBytes(StandardCharsets.UTF_8), 0, count - 1);
            }
            return null;
        }));
        List<List<String>> heads = new ArrayList<>(keys.size());
        for (Object result : results) {
            List<String> head = new ArrayList<>();
            if (result != null) {
                ((List<?>) result).forEach((element) -> head.add(String.valueOf(element)));
            }
            heads.add(head);
        }
        return heads;
    }

    /** The given fields of each hash, {@code null} where a field (or the hash) is missing. */
    List<List<@Nullable String>> fields(List<String> keys, String... fields) {
        List<List<@Nullable String>> values = new ArrayList<>(keys.size());
        if (keys.size() < PIPELINE_FROM || isCluster()) {
            for (String key : keys) {
                values.add(call((template) -> template.<String, String>opsForHash().multiGet(key, List.of(fields))));
            }
            return values;
        }
        byte[][] names = new byte[fields.length][];
        for (int i = 0; i < fields.length; i++) {
            names[i] = fields[i].getBytes(StandardCharsets.UTF_8);
        }
        List<Object> results = call((template) -> template.executePipelined((RedisCallback<Object>) (redis) -> {
            for (String key : keys) {
                redis.hashCommands().hMGet(key.getBytes(StandardCharsets.UTF_8), names);
            }
            return null;
        }));
        for (Object result : results) {
            List<@Nullable String> row = new ArrayList<>(fields.length);
            if (result != null) {
                ((List<?>) result).forEach((value) -> row.add((value != null) ? String.valueOf(value) : null));
            }
            values.add(row);
        }
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

    private boolean isCluster() {
        Boolean cluster = this.cluster;
        if (cluster == null) {
            cluster = call((template) -> template
                .execute((RedisCallback<Boolean>) (redis) -> redis instanceof RedisClusterConnection));
            this.cluster = cluster;
        }
        return Boolean.TRUE.equals(cluster);
    }

    private static byte[][] bytes(List<String> keys, List<String> args) {
        byte[][] bytes = new byte[keys.size() + args.size()][];
        int i = 0;
        for (String value : keys) {
            bytes[i++] = value.getBytes(StandardCharsets.UTF_8);
        }
        for (String value : args) {
            bytes[i++] = value.getBytes(StandardCharsets.UTF_8);
        }
        return bytes;
    }

}
