package io.mcpsession.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.Epochs;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.Limits;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionPage;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.core.StatePage;
import io.mcpsession.core.Timestamps;
import io.mcpsession.core.Uuid7;
import io.mcpsession.redis.SessionRegistry.ListOwner;
import io.mcpsession.store.FeedListener;
import io.mcpsession.store.ListenerRegistry;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.Subscription;
import io.mcpsession.store.SweepResult;

/**
 * A {@link SessionStore} in Redis, through Spring Data Redis: every change of a session is one Lua script on
 * that session's cluster slot (see {@link RedisKeys} for the layout), the global feed is numbered by that same
 * script on one Redis and after the fact by {@link FeedSequencer} on a Redis Cluster, expiry and retention come
 * from the store's own data ({@link RedisSweeper}), and wake-ups between instances travel over one pub/sub
 * channel ({@link WakeUps}), a hint that a periodic {@link PositionCheck} backs up. All times come from the given
 * clock. Several instances may share one Redis.
 */
public final class RedisSessionStore implements SessionStore {

    private final StoreSettings settings;

    private final Clock clock;

    private final RedisKeys keys;

    private final String location;

    private final Fanout fanout = new Fanout(new ListenerRegistry());

    private final SessionRegistry registry;

    private final FeedSequencer sequencer;

    private final WakeUps wakeUps;

    private final RedisEventLog eventLog;

    private final RedisFeedReader feedReader;

    private final RedisSweeper sweeper;

    private final RedisSessions sessions;

    private final PositionCheck positionCheck;

    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param connectionFactory where Redis is
     * @param settings the limits and retention to enforce
     * @param keyPrefix the prefix of every key ({@code mcp.session.store.redis.key-prefix}); no braces
     */
    public RedisSessionStore(RedisConnectionFactory connectionFactory, StoreSettings settings, String keyPrefix) {
        this(connectionFactory, settings, keyPrefix, Clock.systemUTC());
    }

    /**
     * @param connectionFactory where Redis is
     * @param settings the limits and retention to enforce
     * @param keyPrefix the prefix of every key ({@code mcp.session.store.redis.key-prefix}); no braces
     * @param clock the clock of every timestamp and expiry
     */
    public RedisSessionStore(RedisConnectionFactory connectionFactory, StoreSettings settings, String keyPrefix,
            Clock clock) {
        this(connectionFactory, settings, keyPrefix, clock, PositionCheck.DEFAULT_INTERVAL);
    }

    /**
     * @param connectionFactory where Redis is
     * @param settings the limits and retention to enforce
     * @param keyPrefix the prefix of every key ({@code mcp.session.store.redis.key-prefix}); no braces
     * @param clock the clock of every timestamp and expiry
     * @param positionCheckInterval how often the positions of the logs (and the feed) that this instance's
     * readers wait on are compared with what the wake-ups reported, to heal a lost one
     * ({@code mcp.session.store.redis.position-check-interval})
     */
    public RedisSessionStore(RedisConnectionFactory connectionFactory, StoreSettings settings, String keyPrefix,
            Clock clock, Duration positionCheckInterval) {
        this(connectionFactory, settings, keyPrefix, clock, positionCheckInterval,
                !RedisLocation.isCluster(connectionFactory));
    }

    /**
     * As the public constructors, choosing how the feed is numbered: inline, by each session script (one Redis),
     * or after the fact by the {@link FeedSequencer} (a Redis Cluster, and tests of that path on one Redis).
     */
    RedisSessionStore(RedisConnectionFactory connectionFactory, StoreSettings settings, String keyPrefix, Clock clock,
            Duration positionCheckInterval, boolean feedInline) {
        Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
        Assert.notNull(settings, "'settings' must not be null");
        Assert.notNull(keyPrefix, "'keyPrefix' must not be null");
        Assert.notNull(clock, "'clock' must not be null");
        Assert.isTrue(positionCheckInterval != null && !positionCheckInterval.isNegative()
                && !positionCheckInterval.isZero(), "'positionCheckInterval' must be positive");
        this.settings = settings;
        this.clock = clock;
        this.keys = new RedisKeys(keyPrefix);
        this.location = RedisLocation.of(connectionFactory);
        String instance = Epochs.next();
        StoreConnection connection = new StoreConnection(connectionFactory);
        SessionScripts scripts = new SessionScripts(connection, this.keys, settings, instance, feedInline);
        this.registry = new SessionRegistry(connection, this.keys, settings);
        this.sequencer = new FeedSequencer(connection, scripts, this.keys, instance, this.fanout,
                settings.feedMaxEntries(), clock);
        this.wakeUps = new WakeUps(connectionFactory, connection, this.keys.channel(), instance, this.fanout,
                this.sequencer::wake, feedInline);
        this.eventLog = new RedisEventLog(scripts, settings, this.fanout, this.sequencer, clock);
        this.feedReader = new RedisFeedReader(connection, this.keys, settings.maxPageBytes());
        this.sweeper = new RedisSweeper(connection, scripts, this.registry, this.sequencer, this.fanout,
                settings, this.keys, instance);
        this.sessions = new RedisSessions(scripts, this.registry, this.sweeper, this.sequencer, this.fanout,
                settings, clock);
        this.positionCheck = new PositionCheck(connection, this.keys, this.fanout, clock, positionCheckInterval);
        this.wakeUps.start();
        this.positionCheck.start();
        if (settings.feedEnabled()) {
            this.sequencer.start(this.wakeUps);
        }
    }

    @Override
    public String type() {
        return "redis";
    }

    @Override
    public String describe() {
        return "redis (" + this.location + ", keys " + this.keys.prefix() + "*)";
    }

    // Sessions

    @Override
    public Session create(NewSession request) {
        return this.sessions.create(request);
    }

    @Override
    public Optional<Session> find(String sessionId) {
        return this.sessions.find(sessionId);
    }

    @Override
    public Session update(String sessionId, SessionPatch patch) {
        return this.sessions.update(sessionId, patch);
    }

    @Override
    public boolean delete(String sessionId) {
        return this.sessions.delete(sessionId);
    }

    @Override
    public SessionPage list(@Nullable String after, int limit) {
        return this.sessions.list(after, limit, null);
    }

    @Override
    public SessionPage list(@Nullable String after, int limit, @Nullable String principal) {
        return this.sessions.list(after, limit, ListOwner.of(principal));
    }

    @Override
    public long countSessions() {
        return this.registry.count();
    }

    @Override
    public Session touch(String sessionId) {
        return this.sessions.touch(sessionId);
    }

    // State

    @Override
    public Optional<String> getState(String sessionId, String key) {
        Limits.requireName("key", key);
        ScriptReply reply = this.sessions.live(RedisScripts.STATE_GET, sessionId, now(), key);
        return reply.hasNext() ? Optional.of(reply.next()) : Optional.empty();
    }

    @Override
    public Map<String, String> getAllState(String sessionId) {
        ScriptReply reply = this.sessions.live(RedisScripts.STATE_GET, sessionId, now(), "");
        Map<String, String> state = new HashMap<>();
        while (reply.hasNext()) {
            state.put(reply.next(), reply.next());
        }
        return state;
    }

    @Override
    public StatePage readState(String sessionId, @Nullable String after, int limit) {
        Limits.requireReadLimit(limit);
        ScriptReply reply = this.sessions.live(RedisScripts.STATE_PAGE, sessionId, now(),
                (after != null) ? after : "", Integer.toString(limit), Long.toString(this.settings.maxPageBytes()));
        boolean more = reply.next().equals("1");
        Map<String, String> values = new LinkedHashMap<>();
        String last = null;
        while (reply.hasNext()) {
            last = reply.next();
            values.put(last, reply.next());
        }
        return new StatePage(values, more ? last : null);
    }

    @Override
    public void putState(String sessionId, String key, String jsonValue) {
        String value = this.settings.checkState(key, jsonValue);
        ScriptReply reply = this.sessions.live(RedisScripts.STATE_PUT, sessionId, now(), key, value,
                Integer.toString(this.settings.maxStateKeys()));
        if (reply.status().equals("full")) {
            this.settings.requireStateRoom(sessionId, this.settings.maxStateKeys());
        }
    }

    @Override
    public boolean removeState(String sessionId, String key) {
        Limits.requireName("key", key);
        return this.sessions.live(RedisScripts.STATE_REMOVE, sessionId, now(), key).next().equals("1");
    }

    // Events

    @Override
    public AppendResult append(String sessionId, NewEvent event) {
        return appendAll(sessionId, List.of(event)).get(0);
    }

    @Override
    public List<AppendResult> appendAll(String sessionId, List<NewEvent> events) {
        return this.eventLog.appendAll(sessionId, events);
    }

    @Override
    public EphemeralEvent publishEphemeral(String sessionId, NewEvent event) {
        NewEvent checked = this.settings.checkEvent(event);
        Instant now = now();
        this.sessions.live(RedisScripts.TOUCH, sessionId, now);
        EphemeralEvent ephemeral = new EphemeralEvent(sessionId, (checked.id() != null) ? checked.id() : Uuid7.fast(now),
                checked.typeOrDefault(), checked.data(), checked.runId(), checked.metadataOrEmpty(),
                checked.timestampOr(now));
        this.fanout.ephemeral(ephemeral);
        this.wakeUps.publishEphemeral(ephemeral);
        return ephemeral;
    }

    @Override
    public EventPage read(String sessionId, EventQuery query) {
        return this.eventLog.read(sessionId, query);
    }

    @Override
    public LogPosition position(String sessionId) {
        return this.sessions.position(sessionId);
    }

    @Override
    public void deleteBefore(String sessionId, long before) {
        this.eventLog.deleteBefore(sessionId, before);
    }

    // Feed

    @Override
    public FeedPage readFeed(FeedQuery query) {
        return this.feedReader.read(query);
    }

    // Waiting and housekeeping

    @Override
    public Subscription subscribe(String sessionId, SessionListener listener) {
        return this.fanout.listeners().subscribe(sessionId, listener);
    }

    @Override
    public Subscription subscribeFeed(FeedListener listener) {
        return this.fanout.listeners().subscribeFeed(listener);
    }

    @Override
    public SweepResult sweep() {
        return this.sweeper.sweep(now());
    }

    @Override
    public void close() {
        if (this.closed.compareAndSet(false, true)) {
            try {
                this.positionCheck.close();
                this.sequencer.close();
            }
            finally {
                this.wakeUps.close();
                this.fanout.clear();
            }
        }
    }

    private Instant now() {
        return Timestamps.now(this.clock);
    }

}
