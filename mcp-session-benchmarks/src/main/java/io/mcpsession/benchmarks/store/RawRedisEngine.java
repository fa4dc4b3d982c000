package io.mcpsession.benchmarks.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.Range.Boundary;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.mcpsession.core.Limits;
import io.mcpsession.core.NewSession;
import io.mcpsession.redis.RedisSessionStore;
import io.mcpsession.store.OverflowPolicy;
import io.mcpsession.store.StoreSettings;

/**
 * The baseline of the Redis store: the store's own {@code append.lua} (with {@code session_lib.lua} in front, as
 * the store sends it) called by {@code EVALSHA} with the keys and arguments the store passes for one append,
 * through one shared Lettuce connection (Lettuce pipelines concurrent callers on it): on one Redis the script numbers
 * the feed entry itself, as the store's does. No Spring, no input checks, nothing decoded but the seq. Replays are plain {@code XRANGE} pages of the session's
 * event stream.
 * <p>
 * Sessions are created by a {@link RedisSessionStore} on the same keys (setup, not measured), which is closed
 * before the first append so that none of its threads or its wake-up subscription runs while the baseline is
 * measured.
 */
public final class RawRedisEngine implements AppendTarget {

    /** The store's schema segment after the prefix ({@code RedisKeys.SCHEMA}). */
    private static final String SCHEMA = "v1:";

    /** {@code SessionScripts}' margin of the backstop TTLs over the idle timeout. */
    private static final Duration KEY_TTL_MARGIN = Duration.ofHours(1);

    private static final String[] SESSION_KEYS = { "meta", "events", "ids", "state", "fq", "fqn" };

    /** The feed's keys that a session script numbering the feed inline writes ({@code RedisKeys.sessionAndFeed}). */
    private static final String[] FEED_KEYS = { "feed", "feedlog", "cursor" };

    private final RedisClient client;

    private final StatefulRedisConnection<String, String> connection;

    private final RedisCommands<String, String> redis;

    private final String prefix;

    private final String sha;

    private final Map<String, String[]> keys = new ConcurrentHashMap<>();

    // The arguments every append passes (SessionScripts' header, then append.lua's own).
    private final String timeout;

    private final String keyTtl;

    private final String feed;

    private final String feedTtl;

    private final String channel;

    private final String origin = "raw-bench";

    private final String max;

    private final String reject;

    private final String url;

    private final StoreSettings settings;

    private @Nullable LettuceConnectionFactory setupFactory;

    private volatile @Nullable RedisSessionStore setup;

    /**
     * @param url where Redis is
     * @param settings the store's settings, for the same arguments
     * @param prefix a key prefix of this engine's own, deleted on {@link #close()}
     */
    public RawRedisEngine(String url, StoreSettings settings, String prefix) {
        this.client = RedisClient.create(url);
        this.connection = this.client.connect();
        this.redis = this.connection.sync();
        this.prefix = prefix;
        this.url = url;
        this.settings = settings;
        this.sha = this.redis.scriptLoad(script("session_lib") + "\n" + script("append"));
        this.timeout = Long.toString(settings.timeout().toMillis());
        this.keyTtl = Long.toString(settings.timeout().multipliedBy(2).plus(KEY_TTL_MARGIN).toMillis());
        // The feed numbered inline, as the store does on one Redis.
        this.feed = settings.feedEnabled() ? "n" + settings.feedMaxEntries() : "0";
        this.feedTtl = Long.toString(settings.feedTtl().plus(KEY_TTL_MARGIN).toMillis());
        this.channel = prefix + SCHEMA + "wake";
        this.max = Integer.toString(settings.maxEventsPerSession());
        this.reject = (settings.overflow() == OverflowPolicy.REJECT) ? "1" : "0";
    }

    @Override
    public synchronized void createSession(String sessionId) {
        RedisSessionStore store = this.setup;
        if (store == null) {
            this.setupFactory = RedisTargets.connectionFactory(this.url);
            store = new RedisSessionStore(this.setupFactory, this.settings, this.prefix);
            this.setup = store;
        }
        store.create(NewSession.withId(sessionId));
        String base = this.prefix + SCHEMA + "{" + sessionId.replace("{", "%7B").replace("}", "%7D") + "}:";
        String[] sessionKeys = new String[SESSION_KEYS.length + FEED_KEYS.length];
        for (int i = 0; i < SESSION_KEYS.length; i++) {
            sessionKeys[i] = base + SESSION_KEYS[i];
        }
        for (int i = 0; i < FEED_KEYS.length; i++) {
            sessionKeys[SESSION_KEYS.length + i] = this.prefix + SCHEMA + "{%g}:" + FEED_KEYS[i];
        }
        this.keys.put(sessionId, sessionKeys);
    }

    @Override
    public long append(String sessionId, String eventId, String type, String data) {
        if (this.setup != null) {
            closeSetup();
        }
        // The store passes the event's timestamp after its metadata: here the clock's, as for an event without one.
        String now = Long.toString(System.currentTimeMillis());
        List<Object> reply = this.redis.evalsha(this.sha, ScriptOutputType.MULTI, this.keys.get(sessionId), now,
                this.timeout, this.keyTtl, this.feed, Long.toHexString(ThreadLocalRandom.current().nextLong()),
                this.feedTtl, this.channel, this.origin, sessionId, this.max, this.reject, eventId, type, data, "", "{}",
                now);
        if (reply.size() < 5) {
            throw new IllegalStateException("append.lua answered " + reply + " for session " + sessionId);
        }
        return Long.parseLong((String) reply.get(4));
    }

    @Override
    public long readAll(String sessionId) {
        String events = this.keys.get(sessionId)[1];
        Limit page = Limit.from(Limits.MAX_READ_LIMIT);
        Range<String> range = Range.unbounded();
        long read = 0;
        while (true) {
            List<StreamMessage<String, String>> messages = this.redis.xrange(events, range, page);
            read += messages.size();
            if (messages.size() < Limits.MAX_READ_LIMIT) {
                return read;
            }
            range = Range.from(Boundary.excluding(messages.get(messages.size() - 1).getId()), Boundary.unbounded());
        }
    }

    @Override
    public void close() {
        try {
            closeSetup();
            RedisTargets.deleteKeys(this.redis, this.prefix);
        }
        finally {
            this.connection.close();
            this.client.shutdown();
        }
    }

    private synchronized void closeSetup() {
        RedisSessionStore store = this.setup;
        if (store != null) {
            this.setup = null;
            store.close();
            this.setupFactory.destroy();
            this.setupFactory = null;
        }
    }

    private static String script(String name) {
        String resource = "/io/mcpsession/redis/" + name + ".lua";
        try (InputStream in = RedisSessionStore.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("No " + resource + " on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
