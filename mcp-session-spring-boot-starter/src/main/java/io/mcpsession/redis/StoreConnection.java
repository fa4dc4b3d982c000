package io.mcpsession.redis;

import java.util.List;
import java.util.function.Function;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The store's way to Redis: runs its scripts and commands through Spring Data Redis, and turns a Redis that
 * cannot be reached into {@code STORE_UNAVAILABLE}.
 */
final class StoreConnection {

    private final StringRedisTemplate template;

    StoreConnection(RedisConnectionFactory connectionFactory) {
        this.template = new StringRedisTemplate(connectionFactory);
    }

    /** Runs a script ({@code EVALSHA}, falling back to {@code EVAL} when Redis does not know it yet). */
    @SuppressWarnings("rawtypes")
    ScriptReply run(RedisScript<List> script, List<String> keys, List<String> args) {
        return call((template) -> new ScriptReply(template.execute(script, keys, args.toArray())));
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

}
