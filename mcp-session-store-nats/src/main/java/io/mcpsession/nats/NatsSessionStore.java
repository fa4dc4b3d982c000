package io.mcpsession.nats;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.Epochs;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.JsonMembers;
import io.mcpsession.core.JsonText;
import io.mcpsession.core.Limits;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.PageBudget;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionIds;
import io.mcpsession.core.SessionPage;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.core.StatePage;
import io.mcpsession.core.Timestamps;
import io.mcpsession.core.Uuid7;
import io.mcpsession.nats.LogMessage.Kind;
import io.mcpsession.store.FeedListener;
import io.mcpsession.store.ListenerRegistry;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.Subscription;
import io.mcpsession.store.SweepResult;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.PurgeOptions;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatchOption;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.impl.NatsKeyValueWatchSubscription;

/**
 * A {@link SessionStore} in NATS JetStream. Sessions live in a key-value bucket, changed with revision checks;
 * state in another, one key per state key; every session's log is a subject of the events stream, ordered by the
 * expected-last-subject-sequence guard ({@link NatsEventLog}); the global feed is that stream's commit order,
 * numbered into a stream of its own ({@link FeedSequencer}). Wake-ups between instances travel over core NATS
 * ({@link WakeUps}), backed by a periodic position check; one sweeper runs at a time, under a lease in a bucket.
 * Every time decision reads the given clock. Several instances (and applications, by prefix) share one NATS.
 */
public final class NatsSessionStore implements SessionStore {

    /** The default prefix of every stream, bucket and subject the store owns. */
    public static final String DEFAULT_PREFIX = "MCP";

    /** How long a NATS request may take before the store reports itself unavailable. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    /** Implicit activity (appends, state writes) is written at most this often per session. */
    private static final Duration ACTIVITY_GRANULARITY = Duration.ofSeconds(1);

    /** How long a sweeper may hold its lease before another instance may take it over. */
    private static final Duration LEASE = Duration.ofMinutes(5);

    /** A read that retention overtook (a message purged under it) is read again, this often at most. */
    private static final int READ_ATTEMPTS = 10;

    private static final String SESSION_COUNT = "sessions";

    private static final String SWEEPER = "sweeper";

    private final StoreSettings settings;

    private final Clock clock;

    private final NatsSpace space;

    private final String instance = Epochs.next();

    private final ListenerRegistry listeners = new ListenerRegistry();

    private final NatsEventLog log;

    private final FeedSequencer sequencer;

    private final WakeUps wakeUps;

    private final ScheduledExecutorService checks;

    /** The latest seq each waited-on session was last reported at, for the position check. */
    private final Map<String, Long> reported = new ConcurrentHashMap<>();

    /** What the position check reported of a session that ended. */
    private static final long CLOSED = -1;

    private volatile long feedReported;

    private volatile String feedReportedEpoch = "";

    /** The space's generation when the position check last looked at every waited-on session. */
    private volatile long checkedGeneration;

    private volatile Runnable whileSweeping = () -> {
    };

    /**
     * A store with the default prefix and the system clock.
     * @param connection the NATS connection (the caller's: the store never closes it)
     * @param settings the limits and retention to enforce
     */
    public NatsSessionStore(Connection connection, StoreSettings settings) {
        this(connection, settings, DEFAULT_PREFIX, Clock.systemUTC());
    }

    /**
     * @param connection the NATS connection (the caller's: the store never closes it)
     * @param settings the limits and retention to enforce
     * @param prefix the prefix of every stream, bucket and subject ({@code A-Z a-z 0-9 _ -})
     * @param clock the clock of every timestamp and expiry
     */
    public NatsSessionStore(Connection connection, StoreSettings settings, String prefix, Clock clock) {
        this(connection, settings, prefix, clock, Duration.ofSeconds(1));
    }

    /**
     * @param connection the NATS connection (the caller's: the store never closes it)
     * @param settings the limits and retention to enforce
     * @param prefix the prefix of every stream, bucket and subject ({@code A-Z a-z 0-9 _ -})
     * @param clock the clock of every timestamp and expiry
     * @param checkInterval how often waited-on logs and the feed are compared with what wake-ups reported, and the
     * feed is numbered, to heal a lost wake-up
     */
    public NatsSessionStore(Connection connection, StoreSettings settings, String prefix, Clock clock,
            Duration checkInterval) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.space = new NatsSpace(Objects.requireNonNull(connection, "connection"), new NatsNames(prefix),
                REQUEST_TIMEOUT);
        this.checkedGeneration = this.space.generation();
        this.feedReportedEpoch = this.space.feedEpoch();
        this.log = new NatsEventLog(this.space, settings);
        this.wakeUps = new WakeUps(connection, this.space.names, this.instance, this.listeners, this::closed);
        this.sequencer = new FeedSequencer(this.space, settings.feedEnabled(), this::feedNumbered);
        this.checks = Executors.newSingleThreadScheduledExecutor((runnable) -> {
            Thread thread = new Thread(runnable, "mcp-session-nats-check");
            thread.setDaemon(true);
            return thread;
        });
        long period = checkInterval.toMillis();
        this.checks.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
        this.sequencer.wake();
    }

    @Override
    public String type() {
        return "nats";
    }

    @Override
    public String describe() {
        return "nats (streams and buckets " + this.space.names.prefix + "_*)";
    }

    // Sessions

    private record Loaded(SessionRecord record, long revision) {
    }

    @Override
    public Session create(NewSession request) {
        NewSession checked = this.settings.checkSession(request.checked());
        Instant now = now();
        String id = (checked.id() != null) ? checked.id() : SessionIds.generate(now);
        Session session = checked.toSession(id, now, this.settings.timeout());
        String epoch = Epochs.next();
        return repairing(() -> {
            // The events stream as the server has it now, not as this instance last saw it: every instance
            // derives the log's epoch from it (a stale one would name a wiped history).
            SessionRecord record = new SessionRecord(session, epoch, 1, this.space.currentEventsToken());
            Loaded existing = load(id);
            if (existing != null) {
                if (!existing.record().session().isExpired(now)) {
                    throw exists(id);
                }
                remove(id, existing, CloseReason.EXPIRED, now);
            }
            reserveSlot(now);
            boolean created = false;
            try {
                created = NatsFailures.call(() -> {
                    try {
                        this.space.sessions.create(NatsNames.token(id), record.toBytes());
                        return true;
                    }
                    catch (JetStreamApiException ex) {
                        if (NatsFailures.isCode(ex, NatsFailures.WRONG_LAST_SEQUENCE)) {
                            return false;
                        }
                        throw ex;
                    }
                });
            }
            finally {
                if (!created) {
                    releaseSlot();
                }
            }
            if (!created) {
                throw exists(id);
            }
            this.log.recordLifecycle(id, record, Kind.CREATED, session, now);
            this.sequencer.wake();
            return session;
        });
    }

    @Override
    public Optional<Session> find(String sessionId) {
        Instant now = now();
        Loaded loaded = repairing(() -> load(sessionId));
        return (loaded != null && !loaded.record().session().isExpired(now)) ? Optional.of(loaded.record().session())
                : Optional.empty();
    }

    @Override
    public Session update(String sessionId, SessionPatch patch) {
        Instant now = now();
        return repairing(() -> {
            while (true) {
                Loaded loaded = live(sessionId, now);
                Session patched = this.settings.checkSession(patch.applyTo(loaded.record().session()));
                Session updated = active(patched, now);
                SessionRecord record = loaded.record().withSession(updated);
                if (replace(sessionId, loaded, record)) {
                    this.log.recordLifecycle(sessionId, record, Kind.UPDATED, updated, now);
                    this.sequencer.wake();
                    return updated;
                }
            }
        });
    }

    @Override
    public boolean delete(String sessionId) {
        Instant now = now();
        return repairing(() -> {
            while (true) {
                Loaded loaded = load(sessionId);
                if (loaded == null) {
                    return false;
                }
                boolean expired = loaded.record().session().isExpired(now);
                if (remove(sessionId, loaded, expired ? CloseReason.EXPIRED : CloseReason.DELETED, now)) {
                    return !expired;
                }
            }
        });
    }

    @Override
    public SessionPage list(@Nullable String after, int limit) {
        return list(after, limit, (owner) -> true);
    }

    @Override
    public SessionPage list(@Nullable String after, int limit, @Nullable String principal) {
        return list(after, limit, (owner) -> Objects.equals(owner, principal));
    }

    private record Placed(long createdAt, String id) {
    }

    private static final Comparator<Placed> LIST_ORDER = Comparator.comparingLong(Placed::createdAt)
        .thenComparing(Placed::id);

    private SessionPage list(@Nullable String after, int limit, Predicate<@Nullable String> owners) {
        Limits.requireReadLimit(limit);
        Instant now = now();
        return repairing(() -> {
            List<Session> sessions = new ArrayList<>();
            for (KeyValueEntry entry : snapshot(this.space.sessions, ">")) {
                Session session = SessionRecord.fromBytes(entry.getValue()).session();
                if (!session.isExpired(now) && owners.test(session.principal())) {
                    sessions.add(session);
                }
            }
            sessions.sort(Comparator.comparing((Session session) -> placed(session), LIST_ORDER));
            Placed cursor = (after != null) ? placeCursor(after, owners) : null;
            List<Session> page = new ArrayList<>();
            PageBudget budget = this.settings.pageBudget();
            boolean more = false;
            for (Session session : sessions) {
                if (cursor != null && LIST_ORDER.compare(placed(session), cursor) <= 0) {
                    continue;
                }
                if (page.size() == limit || !budget.take(PageBudget.bytesOf(session))) {
                    more = true;
                    break;
                }
                page.add(session);
            }
            return new SessionPage(page, more ? page.get(page.size() - 1).id() : null);
        });
    }

    private static Placed placed(Session session) {
        return new Placed(session.createdAt().toEpochMilli(), session.id());
    }

    /** Places a list cursor: a session of a visible owner, live or removed, or else the time of a UUIDv7. */
    private Placed placeCursor(String sessionId, Predicate<@Nullable String> owners) {
        Loaded loaded = load(sessionId);
        if (loaded != null && owners.test(loaded.record().principal())) {
            return placed(loaded.record().session());
        }
        if (validId(sessionId)) {
            for (KeyValueEntry entry : snapshot(this.space.graves, NatsNames.token(sessionId) + ".*")) {
                Map<String, JsonMembers.Member> grave = graveOf(entry);
                JsonMembers.Member principal = grave.get("p");
                if (owners.test(principal.isNull() ? null : principal.string())) {
                    return new Placed(Long.parseLong(grave.get("createdAt").raw()), sessionId);
                }
            }
        }
        Instant createdAt = SessionIds.timestampOf(sessionId)
            .orElseThrow(() -> new McpSessionException(ErrorCode.INVALID_CURSOR,
                    "Invalid cursor: no session '" + sessionId + "' to continue after"));
        return new Placed(createdAt.toEpochMilli(), sessionId);
    }

    @Override
    public Session touch(String sessionId) {
        Instant now = now();
        return repairing(() -> {
            while (true) {
                Loaded loaded = live(sessionId, now);
                Session session = loaded.record().session();
                if (!now.isAfter(session.lastActivity())) {
                    return session;
                }
                Session touched = active(session, now);
                if (replace(sessionId, loaded, loaded.record().withSession(touched))) {
                    return touched;
                }
            }
        });
    }

    // State

    @Override
    public Optional<String> getState(String sessionId, String key) {
        Limits.requireName("key", key);
        return repairing(() -> {
            Loaded loaded = live(sessionId, now());
            KeyValueEntry entry = NatsFailures
                .call(() -> this.space.entry(this.space.state, stateKey(sessionId, loaded, key)));
            return (entry != null && entry.getOperation() == KeyValueOperation.PUT)
                    ? Optional.of(new String(entry.getValue(), StandardCharsets.UTF_8)) : Optional.empty();
        });
    }

    @Override
    public Map<String, String> getAllState(String sessionId) {
        return repairing(() -> {
            Loaded loaded = live(sessionId, now());
            String prefix = stateKeys(sessionId, loaded);
            Map<String, String> state = new HashMap<>();
            for (KeyValueEntry entry : snapshot(this.space.state, prefix + ".*")) {
                state.put(NatsNames.untoken(entry.getKey().substring(prefix.length() + 1)),
                        new String(entry.getValue(), StandardCharsets.UTF_8));
            }
            return state;
        });
    }

    @Override
    public StatePage readState(String sessionId, @Nullable String after, int limit) {
        return StatePage.of(getAllState(sessionId), after, limit, this.settings.pageBudget());
    }

    @Override
    public void putState(String sessionId, String key, String jsonValue) {
        String value = this.settings.checkState(key, jsonValue);
        Instant now = now();
        repairing(() -> {
            Loaded loaded = live(sessionId, now);
            String stateKey = stateKey(sessionId, loaded, key);
            KeyValueEntry existing = NatsFailures.call(() -> this.space.entry(this.space.state, stateKey));
            if (existing == null || existing.getOperation() != KeyValueOperation.PUT) {
                // A new key: counted and added under one lock, so this instance's writers never pass max-keys together.
                synchronized (this.stateLocks.computeIfAbsent(sessionId, (id) -> new Object())) {
                    long keys = NatsFailures.call(() -> this.space.state.keys(stateKeys(sessionId, loaded) + ".*"))
                        .size();
                    if (NatsFailures.call(() -> this.space.entry(this.space.state, stateKey)) == null) {
                        this.settings.requireStateRoom(sessionId, keys);
                    }
                    NatsFailures.call(() -> this.space.state.put(stateKey, value.getBytes(StandardCharsets.UTF_8)));
                }
            }
            else {
                NatsFailures.call(() -> this.space.state.put(stateKey, value.getBytes(StandardCharsets.UTF_8)));
            }
            markActive(sessionId, loaded, now);
            return null;
        });
    }

    private final Map<String, Object> stateLocks = new ConcurrentHashMap<>();

    @Override
    public boolean removeState(String sessionId, String key) {
        Limits.requireName("key", key);
        Instant now = now();
        return repairing(() -> {
            Loaded loaded = live(sessionId, now);
            String stateKey = stateKey(sessionId, loaded, key);
            KeyValueEntry existing = NatsFailures.call(() -> this.space.entry(this.space.state, stateKey));
            boolean existed = existing != null && existing.getOperation() == KeyValueOperation.PUT;
            if (existed) {
                NatsFailures.call(() -> {
                    this.space.state.delete(stateKey);
                    return null;
                });
            }
            markActive(sessionId, loaded, now);
            return existed;
        });
    }

    private String stateKeys(String sessionId, Loaded loaded) {
        return NatsNames.token(sessionId) + "." + loaded.record().epoch();
    }

    private String stateKey(String sessionId, Loaded loaded, String key) {
        return stateKeys(sessionId, loaded) + "." + NatsNames.token(key);
    }

    // Events

    @Override
    public AppendResult append(String sessionId, NewEvent event) {
        return appendAll(sessionId, List.of(event), false).get(0);
    }

    @Override
    public List<AppendResult> appendAll(String sessionId, List<NewEvent> events) {
        return appendAll(sessionId, events, true);
    }

    private List<AppendResult> appendAll(String sessionId, List<NewEvent> events, boolean batch) {
        if (batch && events.isEmpty()) {
            throw McpSessionException.invalidRequest("A batch holds at least one event");
        }
        List<NewEvent> checked = new ArrayList<>(events.size());
        for (NewEvent event : events) {
            if (event.ephemeral()) {
                throw McpSessionException.invalidRequest("Ephemeral events are published, not appended");
            }
            checked.add(this.settings.checkEvent(event));
        }
        Instant now = now();
        Loaded[] last = new Loaded[1];
        NatsEventLog.Appended appended = repairing(() -> this.log.append(sessionId, checked, now, () -> {
            last[0] = live(sessionId, now);
            return last[0].record();
        }));
        markActive(sessionId, last[0], now);
        if (!appended.created().isEmpty()) {
            this.listeners.appended(sessionId, appended.latest(), appended.created());
            this.wakeUps.appended(sessionId, appended.latest());
            this.sequencer.wake();
        }
        return appended.results();
    }

    @Override
    public EphemeralEvent publishEphemeral(String sessionId, NewEvent event) {
        NewEvent checked = this.settings.checkEvent(event);
        Instant now = now();
        Loaded loaded = repairing(() -> live(sessionId, now));
        markActive(sessionId, loaded, now);
        EphemeralEvent ephemeral = new EphemeralEvent(sessionId, (checked.id() != null) ? checked.id() : Uuid7.fast(now),
                checked.typeOrDefault(), checked.data(), checked.runId(), checked.metadataOrEmpty(),
                checked.timestampOr(now));
        this.listeners.ephemeral(ephemeral);
        this.wakeUps.ephemeral(ephemeral);
        return ephemeral;
    }

    @Override
    public EventPage read(String sessionId, EventQuery query) {
        Instant now = now();
        return repairing(() -> {
            for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
                EventPage page = this.log.read(sessionId, live(sessionId, now).record(), query);
                if (page != null) {
                    return page;
                }
            }
            throw NatsFailures.unavailable(new IllegalStateException("Messages vanished under every read"));
        });
    }

    @Override
    public LogPosition position(String sessionId) {
        Instant now = now();
        return repairing(() -> this.log.position(sessionId, live(sessionId, now).record()));
    }

    @Override
    public void deleteBefore(String sessionId, long before) {
        if (before < 1) {
            throw McpSessionException.invalidRequest("'before' must be at least 1");
        }
        Instant now = now();
        repairing(() -> {
            while (true) {
                Loaded loaded = live(sessionId, now);
                LogPosition position = this.log.position(sessionId, loaded.record());
                long floor = Math.min(before, position.latest() + 1);
                if (floor <= position.earliestRetained()
                        || replace(sessionId, loaded, loaded.record().withFloor(floor, this.space.eventsToken()))) {
                    return null;
                }
            }
        });
    }

    // Feed

    @Override
    public FeedPage readFeed(FeedQuery query) {
        return repairing(() -> {
            for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
                FeedPage page = this.sequencer.read(query, this.settings.maxPageBytes());
                if (page != null) {
                    return page;
                }
            }
            throw NatsFailures.unavailable(new IllegalStateException("Entries vanished under every read"));
        });
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
        Instant now = now();
        return repairing(() -> {
            Long lease = acquireLease(now);
            if (lease == null) {
                return SweepResult.EMPTY;
            }
            try {
                this.whileSweeping.run();
                long expired = 0;
                long evicted = 0;
                long numbered = this.sequencer.numberedThrough();
                for (KeyValueEntry entry : snapshot(this.space.sessions, ">")) {
                    String sessionId = NatsNames.untoken(entry.getKey());
                    Loaded loaded = new Loaded(SessionRecord.fromBytes(entry.getValue()), entry.getRevision());
                    if (loaded.record().session().isExpired(now)) {
                        expired += remove(sessionId, loaded, CloseReason.EXPIRED, now) ? 1 : 0;
                    }
                    else {
                        evicted += trim(sessionId, loaded, now, numbered);
                    }
                }
                purgeGraves(numbered);
                long feedEvicted = this.sequencer.trim(this.settings.feedMaxEntries(),
                        now.minus(this.settings.feedTtl()));
                return new SweepResult(expired, evicted, feedEvicted);
            }
            finally {
                releaseLease(lease);
            }
        });
    }

    /** Runs {@code action} while a sweep holds the lease (tests see that only one sweep runs at a time). */
    void whileSweeping(Runnable action) {
        this.whileSweeping = action;
    }

    /** Deletes every stream and bucket this store owns, with everything in them (tests and tear-down). */
    public void deleteEverything() {
        close();
        this.space.deleteAll();
    }

    @Override
    public void close() {
        this.checks.shutdownNow();
        this.sequencer.close();
        try {
            this.wakeUps.close();
        }
        catch (RuntimeException ex) {
            // The connection is closed already.
        }
        this.listeners.clear();
    }

    // Sessions in the bucket

    private static boolean validId(String sessionId) {
        try {
            SessionIds.requireValid(sessionId);
            return true;
        }
        catch (McpSessionException ex) {
            return false;
        }
    }

    private @Nullable Loaded load(String sessionId) {
        if (!validId(sessionId)) {
            return null;
        }
        KeyValueEntry entry = NatsFailures
            .call(() -> this.space.entry(this.space.sessions, NatsNames.token(sessionId)));
        if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
            return null;
        }
        return new Loaded(SessionRecord.fromBytes(entry.getValue()), entry.getRevision());
    }

    /** A session, or null also when the sessions bucket is gone (wiped: nobody recreated it yet). */
    private @Nullable Loaded loadUnlessWiped(String sessionId) {
        try {
            return load(sessionId);
        }
        catch (NatsFailures.MissingStream ex) {
            return null;
        }
    }

    private Loaded live(String sessionId, Instant now) {
        Loaded loaded = load(sessionId);
        if (loaded == null || loaded.record().session().isExpired(now)) {
            throw McpSessionException.sessionNotFound(sessionId);
        }
        return loaded;
    }

    /** Writes a session's record if nobody changed it since it was loaded. */
    private boolean replace(String sessionId, Loaded loaded, SessionRecord record) {
        return NatsFailures.call(() -> {
            try {
                this.space.sessions.update(NatsNames.token(sessionId), record.toBytes(), loaded.revision());
                return true;
            }
            catch (JetStreamApiException ex) {
                if (NatsFailures.isCode(ex, NatsFailures.WRONG_LAST_SEQUENCE)) {
                    return false;
                }
                throw ex;
            }
        });
    }

    private Session active(Session session, Instant now) {
        Instant activity = now.isAfter(session.lastActivity()) ? now : session.lastActivity();
        return session.withActivity(activity, activity.plus(this.settings.timeout()));
    }

    /** Records implicit activity; a lost race means another writer recorded activity just now. */
    private void markActive(String sessionId, Loaded loaded, Instant now) {
        Session session = loaded.record().session();
        if (now.isBefore(session.lastActivity().plus(ACTIVITY_GRANULARITY))) {
            return;
        }
        replace(sessionId, loaded, loaded.record().withSession(active(session, now)));
    }

    /**
     * Removes a session: its record (if unchanged since loaded), then a closing message in its log (after all
     * its events), its state, and a grave that remembers it for list cursors and for the sweeper's purge.
     */
    private boolean remove(String sessionId, Loaded loaded, CloseReason reason, Instant now) {
        boolean removed = NatsFailures.call(() -> {
            try {
                this.space.sessions.delete(NatsNames.token(sessionId), loaded.revision());
                return true;
            }
            catch (JetStreamApiException ex) {
                if (NatsFailures.isCode(ex, NatsFailures.WRONG_LAST_SEQUENCE)) {
                    return false;
                }
                throw ex;
            }
        });
        if (!removed) {
            return false;
        }
        releaseSlot();
        SessionRecord record = loaded.record();
        String grave = "{\"createdAt\":" + record.session().createdAt().toEpochMilli() + ",\"p\":"
                + ((record.principal() != null) ? JsonText.toJson(record.principal()) : "null") + ",\"purged\":false}";
        NatsFailures.call(() -> this.space.graves.put(NatsNames.token(sessionId) + "." + record.epoch(),
                grave.getBytes(StandardCharsets.UTF_8)));
        this.log.recordLifecycle(sessionId, record, (reason == CloseReason.EXPIRED) ? Kind.EXPIRED : Kind.DELETED,
                null, now);
        NatsFailures.call(() -> this.space.jsm.purgeStream("KV_" + this.space.names.stateBucket(),
                PurgeOptions.subject("$KV." + this.space.names.stateBucket() + "."
                        + stateKeys(sessionId, loaded) + ".>")));
        this.stateLocks.remove(sessionId);
        closed(sessionId, reason);
        this.wakeUps.closed(sessionId, reason);
        this.sequencer.wake();
        return true;
    }

    /** Counts a new session against max-sessions, sweeping expired ones first when the store is full. */
    private void reserveSlot(Instant now) {
        boolean sweptExpired = false;
        while (true) {
            KeyValueEntry entry = NatsFailures.call(() -> this.space.entry(this.space.meta, SESSION_COUNT));
            long count = (entry != null && entry.getOperation() == KeyValueOperation.PUT)
                    ? Long.parseLong(new String(entry.getValue(), StandardCharsets.UTF_8)) : 0;
            if (count >= this.settings.maxSessions()) {
                if (sweptExpired) {
                    throw new McpSessionException(ErrorCode.MAX_SESSIONS_REACHED,
                            "The store holds its maximum of " + this.settings.maxSessions() + " sessions");
                }
                removeExpired(now);
                sweptExpired = true;
                continue;
            }
            if (writeCount(entry, count + 1)) {
                return;
            }
        }
    }

    private void releaseSlot() {
        while (true) {
            KeyValueEntry entry = NatsFailures.call(() -> this.space.entry(this.space.meta, SESSION_COUNT));
            long count = (entry != null && entry.getOperation() == KeyValueOperation.PUT)
                    ? Long.parseLong(new String(entry.getValue(), StandardCharsets.UTF_8)) : 0;
            if (count == 0 || writeCount(entry, count - 1)) {
                return;
            }
        }
    }

    private boolean writeCount(@Nullable KeyValueEntry entry, long count) {
        byte[] value = Long.toString(count).getBytes(StandardCharsets.UTF_8);
        return NatsFailures.call(() -> {
            try {
                if (entry == null) {
                    this.space.meta.create(SESSION_COUNT, value);
                }
                else {
                    this.space.meta.update(SESSION_COUNT, value, entry.getRevision());
                }
                return true;
            }
            catch (JetStreamApiException ex) {
                if (NatsFailures.isCode(ex, NatsFailures.WRONG_LAST_SEQUENCE)) {
                    return false;
                }
                throw ex;
            }
        });
    }

    private long removeExpired(Instant now) {
        long expired = 0;
        for (KeyValueEntry entry : snapshot(this.space.sessions, ">")) {
            SessionRecord record = SessionRecord.fromBytes(entry.getValue());
            if (record.session().isExpired(now) && remove(NatsNames.untoken(entry.getKey()),
                    new Loaded(record, entry.getRevision()), CloseReason.EXPIRED, now)) {
                expired++;
            }
        }
        return expired;
    }

    // Sweeping

    /** Moves one log's floor by count and TTL, and purges what the feed has numbered below it. */
    private long trim(String sessionId, Loaded loaded, Instant now, long numbered) {
        NatsEventLog.Trim trim = this.log.trim(sessionId, loaded.record(), now);
        if (trim == null) {
            return 0;
        }
        String token = this.space.eventsToken();
        long floor = Math.max(1, loaded.record().floorIn(token));
        long evicted = 0;
        if (trim.floor() > floor
                && replace(sessionId, loaded, loaded.record().withFloor(trim.floor(), token))) {
            evicted = trim.floor() - floor;
        }
        long below = Math.min(trim.purgeBelow(), (numbered == Long.MAX_VALUE) ? numbered : numbered + 1);
        if (evicted > 0 || trim.floor() == floor) {
            if (below > 1) {
                this.log.purge(this.log.subject(sessionId, loaded.record()), below);
            }
        }
        return evicted;
    }

    /** Purges the logs of removed sessions once the feed has numbered all of them. */
    private void purgeGraves(long numbered) {
        for (KeyValueEntry entry : snapshot(this.space.graves, ">")) {
            Map<String, JsonMembers.Member> grave = graveOf(entry);
            if (grave.get("purged").raw().equals("true")) {
                continue;
            }
            String subject = this.space.names.eventsSubjects().replace(">", entry.getKey());
            if (this.log.lastStreamSeq(subject) <= numbered) {
                this.log.purge(subject, Long.MAX_VALUE);
                String purged = new String(entry.getValue(), StandardCharsets.UTF_8).replace("\"purged\":false",
                        "\"purged\":true");
                NatsFailures.call(() -> this.space.graves.put(entry.getKey(), purged.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    private static Map<String, JsonMembers.Member> graveOf(KeyValueEntry entry) {
        return JsonMembers.parse(new String(entry.getValue(), StandardCharsets.UTF_8));
    }

    /** Takes the sweeper lease (a key in the meta bucket, written with a revision check); its revision, or null. */
    private @Nullable Long acquireLease(Instant now) {
        byte[] value = (this.instance + " " + now.plus(LEASE).toEpochMilli()).getBytes(StandardCharsets.UTF_8);
        return NatsFailures.call(() -> {
            KeyValueEntry entry = this.space.entry(this.space.meta, SWEEPER);
            try {
                if (entry == null || entry.getOperation() != KeyValueOperation.PUT) {
                    return this.space.meta.create(SWEEPER, value);
                }
                String[] holder = new String(entry.getValue(), StandardCharsets.UTF_8).split(" ");
                if (Long.parseLong(holder[1]) < now.toEpochMilli()) {
                    // The holder died mid-sweep: its lease ran out.
                    return this.space.meta.update(SWEEPER, value, entry.getRevision());
                }
                return null;
            }
            catch (JetStreamApiException ex) {
                if (NatsFailures.isCode(ex, NatsFailures.WRONG_LAST_SEQUENCE)) {
                    return null;
                }
                throw ex;
            }
        });
    }

    private void releaseLease(long revision) {
        try {
            NatsFailures.call(() -> {
                try {
                    this.space.meta.delete(SWEEPER, revision);
                }
                catch (JetStreamApiException ex) {
                    // Taken over meanwhile: not ours to release.
                }
                return null;
            });
        }
        catch (McpSessionException ex) {
            // Unreachable now: the lease runs out by itself.
        }
    }

    // Wake-ups

    /** Tells the listeners that a session ended, and keeps the position check from telling them again. */
    private void closed(String sessionId, CloseReason reason) {
        this.reported.put(sessionId, CLOSED);
        this.listeners.closed(sessionId, reason);
    }

    private void feedNumbered() {
        long latest = this.sequencer.latestNumbered();
        this.feedReported = Math.max(this.feedReported, latest);
        this.listeners.feedAdvanced(latest);
        this.wakeUps.feedAdvanced(latest);
    }

    /** The safety net of the wake-ups: numbers the feed and compares waited-on positions with what was reported. */
    private void check() {
        try {
            this.space.refresh();
            long generation = this.space.generation();
            // The space was recreated since the last check (here or by another instance): whatever is missing now
            // vanished with it, also sessions this check never saw live.
            boolean recreated = generation != this.checkedGeneration;
            this.sequencer.wake();
            Instant now = now();
            for (String sessionId : this.listeners.subscribedSessions()) {
                Loaded loaded = loadUnlessWiped(sessionId);
                Long before = this.reported.get(sessionId);
                if (loaded == null || loaded.record().session().isExpired(now)) {
                    // Told once: of a session this check saw live, of one that expired unswept, or of one wiped.
                    if ((before == null) ? (loaded != null || recreated) : before != CLOSED) {
                        closed(sessionId, (loaded != null) ? CloseReason.EXPIRED : CloseReason.DELETED);
                    }
                    continue;
                }
                long latest = this.log.position(sessionId, loaded.record()).latest();
                this.reported.put(sessionId, latest);
                if (before != null && before != CLOSED && latest > before) {
                    this.listeners.appended(sessionId, latest, List.of());
                }
            }
            this.reported.keySet().retainAll(this.listeners.subscribedSessions());
            this.checkedGeneration = generation;
            if (this.listeners.hasFeedListeners()) {
                LogPosition feed = this.sequencer.position();
                // A recreated feed starts again at 1: its seqs are news although below the old ones.
                if (feed.latest() > this.feedReported || !feed.epoch().equals(this.feedReportedEpoch)) {
                    this.feedReported = feed.latest();
                    this.feedReportedEpoch = feed.epoch();
                    this.listeners.feedAdvanced(feed.latest());
                }
            }
        }
        catch (RuntimeException ex) {
            // NATS is away or a stream is being recreated: the next check tries again.
        }
    }

    // Helpers

    /**
     * Runs an operation; when a stream or bucket of the store vanished (the server said so, or a request went
     * unanswered while NATS itself is connected and the server then confirms something was missing or was
     * recreated meanwhile, by this instance or another), recreates it and runs the operation once more.
     */
    private <T> T repairing(Supplier<T> operation) {
        long generation = this.space.generation();
        try {
            return operation.get();
        }
        catch (NatsFailures.MissingStream ex) {
            this.space.ensure();
        }
        catch (McpSessionException ex) {
            if (ex.code() != ErrorCode.STORE_UNAVAILABLE || !this.space.repair(generation)) {
                throw ex;
            }
        }
        try {
            return operation.get();
        }
        catch (NatsFailures.MissingStream again) {
            throw NatsFailures.unavailable(again);
        }
    }

    /** Every live entry of a bucket under a key filter, read in one pass of an ordered consumer. */
    private static List<KeyValueEntry> snapshot(KeyValue bucket, String filter) {
        List<KeyValueEntry> entries = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        KeyValueWatcher watcher = new KeyValueWatcher() {

            @Override
            public void watch(KeyValueEntry entry) {
                if (entry.getOperation() == KeyValueOperation.PUT) {
                    synchronized (entries) {
                        entries.add(entry);
                    }
                }
            }

            @Override
            public void endOfData() {
                done.countDown();
            }

        };
        return NatsFailures.call(() -> {
            NatsKeyValueWatchSubscription subscription = bucket.watch(filter, watcher,
                    KeyValueWatchOption.IGNORE_DELETE);
            try {
                if (!done.await(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new TimeoutException("Reading a bucket took too long");
                }
            }
            finally {
                subscription.unsubscribe();
            }
            synchronized (entries) {
                return new ArrayList<>(entries);
            }
        });
    }

    private static McpSessionException exists(String id) {
        return new McpSessionException(ErrorCode.SESSION_EXISTS, "Session '" + id + "' already exists");
    }

    private Instant now() {
        return Timestamps.now(this.clock);
    }

}
