package io.mcpsession.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.data.redis.core.script.RedisScript;

import io.mcpsession.store.StoreSettings;

/**
 * Runs the scripts of one session: its keys, and the arguments every session script starts with (see
 * {@code session_lib.lua}): the caller's clock, the timeout, the backstop TTLs, the feed switch, the wake-up
 * channel and this instance's name.
 */
final class SessionScripts {

    /** How much longer than its idle timeout a session's keys live in Redis when the sweeper never comes. */
    private static final Duration KEY_TTL_MARGIN = Duration.ofHours(1);

    private final StoreConnection connection;

    private final RedisKeys keys;

    private final String timeout;

    private final String keyTtl;

    private final String feed;

    private final boolean feedInline;

    private final String feedTtl;

    private final String origin;

    /**
     * @param feedInline whether the scripts number feed entries themselves (one Redis) rather than queue them for
     * the {@link FeedSequencer} (a Redis Cluster, where the feed's keys are on another slot than a session's)
     */
    SessionScripts(StoreConnection connection, RedisKeys keys, StoreSettings settings, String origin,
            boolean feedInline) {
        this.connection = connection;
        this.keys = keys;
        this.timeout = Long.toString(settings.timeout().toMillis());
        this.keyTtl = Long.toString(settings.timeout().multipliedBy(2).plus(KEY_TTL_MARGIN).toMillis());
        this.feed = !settings.feedEnabled() ? "0" : feedInline ? "n" + settings.feedMaxEntries() : "q";
        this.feedInline = feedInline;
        this.feedTtl = Long.toString(settings.feedTtl().plus(KEY_TTL_MARGIN).toMillis());
        this.origin = origin;
    }

    /** Runs {@code script} on one session at {@code now} with the script's own arguments. */
    @SuppressWarnings("rawtypes")
    ScriptReply run(RedisScript<List> script, String sessionId, Instant now, List<String> arguments) {
        return this.connection.run(script, keys(sessionId), args(sessionId, now, arguments));
    }

    @SuppressWarnings("rawtypes")
    ScriptReply run(RedisScript<List> script, String sessionId, Instant now, String... arguments) {
        return run(script, sessionId, now, List.of(arguments));
    }

    /** Runs {@code script} on each of several sessions, with the matching arguments, in one round trip if can be. */
    @SuppressWarnings("rawtypes")
    List<ScriptReply> runEach(RedisScript<List> script, List<String> sessionIds, Instant now,
            List<List<String>> arguments) {
        List<List<String>> keys = new ArrayList<>(sessionIds.size());
        List<List<String>> args = new ArrayList<>(sessionIds.size());
        for (int i = 0; i < sessionIds.size(); i++) {
            keys.add(keys(sessionIds.get(i)));
            args.add(args(sessionIds.get(i), now, arguments.get(i)));
        }
        return this.connection.runEach(script, keys, args);
    }

    /** Whether the scripts number feed entries themselves. */
    boolean feedInline() {
        return this.feedInline;
    }

    private List<String> keys(String sessionId) {
        return this.feedInline ? this.keys.sessionAndFeed(sessionId) : this.keys.session(sessionId);
    }

    private List<String> args(String sessionId, Instant now, List<String> arguments) {
        List<String> args = new ArrayList<>(9 + arguments.size());
        args.add(Long.toString(now.toEpochMilli()));
        args.add(this.timeout);
        args.add(this.keyTtl);
        args.add(this.feed);
        args.add(Long.toHexString(ThreadLocalRandom.current().nextLong()));
        args.add(this.feedTtl);
        args.add(this.keys.channel());
        args.add(this.origin);
        args.add(sessionId);
        args.addAll(arguments);
        return args;
    }

}
