package io.mcpsession.redis;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.Epochs;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.Limits;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionIds;
import io.mcpsession.core.SessionPage;
import io.mcpsession.core.SessionPatch;
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
 * that session's cluster slot (see {@link RedisKeys} for the layout), the global feed is numbered after the fact
 * by {@link FeedSequencer}, expiry and retention come from the store's own data ({@link RedisSweeper}), and
 * wake-ups between instances travel over one pub/sub channel ({@link WakeUps}). All times come from the given
 * clock. Several instances may share one Redis.
 */
public final class RedisSessionStore implements SessionStore {

    /** How many due sessions a create may sweep to make room when the store is full. */
    private static final int MAKE_ROOM = 1_000;

    private static final int UPDATE_ATTEMPTS = 100;

    private final StoreSettings settings;

    private final Clock clock;

    private final RedisKeys keys;

    private final String location;

    private final SessionScripts scripts;

    private final ListenerRegistry listeners = new ListenerRegistry();

    private final SessionRegistry registry;

    private final FeedSequencer sequencer;

    private final WakeUps wakeUps;

    private final RedisEventLog eventLog;

    private final RedisFeedReader feedReader;

    private final RedisSweeper sweeper;

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
        this.settings = settings;
        this.clock = clock;
        this.keys = new RedisKeys(keyPrefix);
        this.location = RedisLocation.of(connectionFactory);
        String instance = Epochs.next();
        StoreConnection connection = new StoreConnection(connectionFactory);
        this.scripts = new SessionScripts(connection, this.keys, settings, instance);
        this.registry = new SessionRegistry(connection, this.keys, settings);
        this.sequencer = new FeedSequencer(connection, this.scripts, this.keys, instance, this.listeners,
                settings.feedMaxEntries(), clock);
        this.wakeUps = new WakeUps(connectionFactory, connection, this.keys.channel(), instance, this.listeners,
                this.sequencer::wake);
        this.eventLog = new RedisEventLog(this.scripts, settings, this.listeners, this.sequencer, clock);
        this.feedReader = new RedisFeedReader(connection, this.keys);
        this.sweeper = new RedisSweeper(connection, this.scripts, this.registry, this.sequencer, this.listeners,
                settings, this.keys, instance);
        this.wakeUps.start();
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
        NewSession checked = request.checked();
        Instant now = now();
        String id = (checked.id() != null) ? checked.id() : SessionIds.generate(now);
        if (!this.registry.reserve(id, now)) {
            this.sweeper.visitDue(now, MAKE_ROOM);
            if (!this.registry.reserve(id, now)) {
                throw new McpSessionException(ErrorCode.MAX_SESSIONS_REACHED,
                        "The store holds its maximum of " + this.settings.maxSessions() + " sessions");
            }
        }
        Session session = checked.toSession(id, now, this.settings.timeout());
        String token = Epochs.next();
        List<String> args = new ArrayList<>(List.of(Epochs.next(), token));
        args.addAll(RedisRecords.members(session));
        ScriptReply reply = this.scripts.run(RedisScripts.CREATE, id, now, args);
        if (reply.status().equals("exists")) {
            throw new McpSessionException(ErrorCode.SESSION_EXISTS, "Session '" + id + "' already exists");
        }
        boolean replacedExpired = !reply.afterStatus().next().isEmpty();
        this.registry.register(session, token, now);
        announce(id);
        if (replacedExpired) {
            this.listeners.closed(id, CloseReason.EXPIRED);
        }
        return session;
    }

    @Override
    public Optional<Session> find(String sessionId) {
        ScriptReply reply = this.scripts.run(RedisScripts.SESSION_GET, sessionId, now());
        return reply.status().equals("missing") ? Optional.empty()
                : Optional.of(RedisRecords.session(sessionId, reply.afterStatus()));
    }

    @Override
    public Session update(String sessionId, SessionPatch patch) {
        for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
            Instant now = now();
            ScriptReply current = live(RedisScripts.SESSION_GET, sessionId, now);
            Session patched = patch.applyTo(RedisRecords.session(sessionId, current));
            current.next();
            current.next();
            current.next();
            ScriptReply reply = this.scripts.run(RedisScripts.UPDATE, sessionId, now, current.next(),
                    patched.initialized() ? "1" : "0", RedisRecords.orEmpty(patched.clientCapabilities()),
                    RedisRecords.orEmpty(patched.serverCapabilities()), RedisRecords.orEmpty(patched.protocolVersion()),
                    patched.metadata());
            switch (reply.status()) {
                case "missing" -> throw McpSessionException.sessionNotFound(sessionId);
                case "conflict" -> {
                    continue;
                }
                default -> {
                    announce(sessionId);
                    return RedisRecords.session(sessionId, reply.afterStatus());
                }
            }
        }
        throw new IllegalStateException("Session '" + sessionId + "' kept changing under the update");
    }

    @Override
    public boolean delete(String sessionId) {
        Instant now = now();
        ScriptReply reply = this.scripts.run(RedisScripts.DELETE, sessionId, now);
        String status = reply.status();
        if (status.equals("missing")) {
            return false;
        }
        String token = reply.afterStatus().next();
        if (this.settings.feedEnabled()) {
            this.sequencer.announceNow(sessionId);
        }
        this.registry.unregister(sessionId, token, now);
        boolean deleted = status.equals("deleted");
        this.listeners.closed(sessionId, deleted ? CloseReason.DELETED : CloseReason.EXPIRED);
        return deleted;
    }

    @Override
    public SessionPage list(@Nullable String after, int limit) {
        return list(after, limit, (ListOwner) null);
    }

    @Override
    public SessionPage list(@Nullable String after, int limit, @Nullable String principal) {
        return list(after, limit, ListOwner.of(principal));
    }

    private SessionPage list(@Nullable String after, int limit, @Nullable ListOwner owner) {
        Limits.requireReadLimit(limit);
        String from = (after != null) ? this.registry.cursor(after, owner) : null;
        List<Session> page = new ArrayList<>();
        while (true) {
            List<String> members = this.registry.members(from, limit + 1, owner);
            for (String member : members) {
                Optional<Session> session = find(SessionRegistry.idOf(member));
                if (session.isPresent()) {
                    if (page.size() == limit) {
                        return new SessionPage(page, page.get(page.size() - 1).id());
                    }
                    page.add(session.get());
                }
            }
            if (members.size() < limit + 1) {
                return new SessionPage(page, null);
            }
            from = members.get(members.size() - 1);
        }
    }

    @Override
    public long countSessions() {
        return this.registry.count();
    }

    @Override
    public Session touch(String sessionId) {
        return RedisRecords.session(sessionId, live(RedisScripts.TOUCH, sessionId, now()));
    }

    // State

    @Override
    public Optional<String> getState(String sessionId, String key) {
        Limits.requireName("key", key);
        ScriptReply reply = live(RedisScripts.STATE_GET, sessionId, now(), key);
        return reply.hasNext() ? Optional.of(reply.next()) : Optional.empty();
    }

    @Override
    public Map<String, String> getAllState(String sessionId) {
        ScriptReply reply = live(RedisScripts.STATE_GET, sessionId, now(), "");
        Map<String, String> state = new HashMap<>();
        while (reply.hasNext()) {
            state.put(reply.next(), reply.next());
        }
        return state;
    }

    @Override
    public void putState(String sessionId, String key, String jsonValue) {
        String value = this.settings.checkState(key, jsonValue);
        live(RedisScripts.STATE_PUT, sessionId, now(), key, value);
    }

    @Override
    public boolean removeState(String sessionId, String key) {
        Limits.requireName("key", key);
        return live(RedisScripts.STATE_REMOVE, sessionId, now(), key).next().equals("1");
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
        live(RedisScripts.TOUCH, sessionId, now);
        EphemeralEvent ephemeral = new EphemeralEvent(sessionId, (checked.id() != null) ? checked.id() : Uuid7.fast(now),
                checked.typeOrDefault(), checked.data(), checked.runId(), checked.metadataOrEmpty(), now);
        this.listeners.ephemeral(ephemeral);
        this.wakeUps.publishEphemeral(ephemeral);
        return ephemeral;
    }

    @Override
    public EventPage read(String sessionId, EventQuery query) {
        return this.eventLog.read(sessionId, query);
    }

    @Override
    public LogPosition position(String sessionId) {
        ScriptReply reply = live(RedisScripts.SESSION_GET, sessionId, now());
        for (int i = 0; i < 9; i++) {
            reply.next();
        }
        String epoch = reply.next();
        long latest = reply.nextLong();
        return new LogPosition(latest, reply.nextLong(), epoch);
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
        return this.listeners.subscribe(sessionId, listener);
    }

    @Override
    public Subscription subscribeFeed(FeedListener listener) {
        return this.listeners.subscribeFeed(listener);
    }

    @Override
    public SweepResult sweep() {
        return this.sweeper.sweep(now());
    }

    @Override
    public void close() {
        if (this.closed.compareAndSet(false, true)) {
            try {
                this.sequencer.close();
            }
            finally {
                this.wakeUps.close();
                this.listeners.clear();
            }
        }
    }

    /** Runs a script that answers {@code missing} for a session that is gone; the reply is past its status. */
    @SuppressWarnings("rawtypes")
    private ScriptReply live(RedisScript<List> script, String sessionId, Instant now, String... arguments) {
        ScriptReply reply = this.scripts.run(script, sessionId, now, arguments);
        if (reply.status().equals("missing")) {
            throw McpSessionException.sessionNotFound(sessionId);
        }
        return reply.afterStatus();
    }

    private void announce(String sessionId) {
        if (this.settings.feedEnabled()) {
            this.sequencer.announce(sessionId);
        }
    }

    private Instant now() {
        return Timestamps.now(this.clock);
    }

}
