package io.mcpsession.store.memory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.Epochs;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.Limits;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.PageBudget;
import io.mcpsession.core.ReadPlan;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionIds;
import io.mcpsession.core.SessionPage;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.core.StatePage;
import io.mcpsession.core.Timestamps;
import io.mcpsession.core.Uuid7;
import io.mcpsession.store.FeedListener;
import io.mcpsession.store.ListenerRegistry;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.Subscription;
import io.mcpsession.store.SweepResult;

/**
 * A {@link SessionStore} in this JVM's memory: fast, and gone with the process. Each session has its own lock
 * (there is no global lock); the feed is numbered after the fact so that it never serializes appends.
 */
public final class InMemorySessionStore implements SessionStore {

    private record CreationKey(long createdAt, String id) {
    }

    private static final Comparator<CreationKey> CREATION_ORDER = Comparator.comparingLong(CreationKey::createdAt)
        .thenComparing(CreationKey::id);

    private final StoreSettings settings;

    private final Clock clock;

    private final ListenerRegistry listeners = new ListenerRegistry();

    private final ConcurrentHashMap<String, SessionEntry> sessions = new ConcurrentHashMap<>();

    private final ConcurrentSkipListMap<CreationKey, SessionEntry> byCreation = new ConcurrentSkipListMap<>(
            CREATION_ORDER);

    private final AtomicInteger sessionCount = new AtomicInteger();

    private final RemovedSessions removedSessions = new RemovedSessions();

    private final FeedLog feed;

    public InMemorySessionStore(StoreSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public InMemorySessionStore(StoreSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.feed = new FeedLog(settings.feedEnabled(), settings.feedMaxEntries(), settings.maxPageBytes(),
                this.listeners);
    }

    @Override
    public String type() {
        return "memory";
    }

    // Sessions

    @Override
    public Session create(NewSession request) {
        NewSession checked = this.settings.checkSession(request.checked());
        Instant now = now();
        String id = (checked.id() != null) ? checked.id() : SessionIds.generate(now);
        Session session = checked.toSession(id, now, this.settings.timeout());
        SessionEntry existing = this.sessions.get(id);
        if (existing != null && existing.isExpired(now)) {
            remove(existing, CloseReason.EXPIRED, now);
        }
        if (this.sessionCount.get() >= this.settings.maxSessions()) {
            removeExpired(now);
        }
        if (this.sessionCount.incrementAndGet() > this.settings.maxSessions()) {
            this.sessionCount.decrementAndGet();
            throw new McpSessionException(ErrorCode.MAX_SESSIONS_REACHED,
                    "The store holds its maximum of " + this.settings.maxSessions() + " sessions");
        }
        SessionEntry entry = new SessionEntry(session, Epochs.next(), this.settings.timeout());
        synchronized (entry) {
            while ((existing = this.sessions.putIfAbsent(id, entry)) != null) {
                if (!existing.isExpired(now)) {
                    this.sessionCount.decrementAndGet();
                    throw new McpSessionException(ErrorCode.SESSION_EXISTS, "Session '" + id + "' already exists");
                }
                remove(existing, CloseReason.EXPIRED, now);
            }
            this.byCreation.put(new CreationKey(session.createdAt().toEpochMilli(), id), entry);
            this.feed.enqueue(FeedEntryType.SESSION_CREATED, id, now, null, session, session.principal());
        }
        this.feed.publish();
        return session;
    }

    @Override
    public Optional<Session> find(String sessionId) {
        SessionEntry entry = this.sessions.get(sessionId);
        return (entry != null && !entry.isExpired(now())) ? Optional.of(entry.session()) : Optional.empty();
    }

    @Override
    public Session update(String sessionId, SessionPatch patch) {
        Instant now = now();
        SessionEntry entry = entry(sessionId);
        Session updated;
        synchronized (entry) {
            requireLive(entry, now);
            entry.replace(this.settings.checkSession(patch.applyTo(entry.session())));
            entry.touch(now);
            updated = entry.session();
            this.feed.enqueue(FeedEntryType.SESSION_UPDATED, sessionId, now, null, updated, updated.principal());
        }
        this.feed.publish();
        return updated;
    }

    @Override
    public boolean delete(String sessionId) {
        Instant now = now();
        SessionEntry entry = this.sessions.get(sessionId);
        if (entry == null) {
            return false;
        }
        boolean expired = entry.isExpired(now);
        return remove(entry, expired ? CloseReason.EXPIRED : CloseReason.DELETED, now) && !expired;
    }

    @Override
    public SessionPage list(@Nullable String after, int limit) {
        return list(after, limit, (principal) -> true);
    }

    @Override
    public SessionPage list(@Nullable String after, int limit, @Nullable String principal) {
        return list(after, limit, (owner) -> Objects.equals(owner, principal));
    }

    private SessionPage list(@Nullable String after, int limit, Predicate<@Nullable String> owners) {
        Limits.requireReadLimit(limit);
        Map<CreationKey, SessionEntry> candidates = (after != null)
                ? this.byCreation.tailMap(creationKeyOf(after, owners), false) : this.byCreation;
        Instant now = now();
        List<Session> page = new ArrayList<>();
        PageBudget budget = this.settings.pageBudget();
        boolean more = false;
        for (SessionEntry entry : candidates.values()) {
            if (entry.isExpired(now) || !owners.test(entry.principal())) {
                continue;
            }
            Session session = entry.session();
            if (page.size() == limit || !budget.take(PageBudget.bytesOf(session))) {
                more = true;
                break;
            }
            page.add(session);
        }
        return new SessionPage(page, more ? page.get(page.size() - 1).id() : null);
    }

    @Override
    public long countSessions() {
        Instant now = now();
        return this.sessions.values().stream().filter((entry) -> !entry.isExpired(now)).count();
    }

    @Override
    public Session touch(String sessionId) {
        Instant now = now();
        SessionEntry entry = liveEntry(sessionId, now);
        entry.touch(now);
        return entry.session();
    }

    // State

    @Override
    public Optional<String> getState(String sessionId, String key) {
        Limits.requireName("key", key);
        return Optional.ofNullable(liveEntry(sessionId, now()).state.get(key));
    }

    @Override
    public Map<String, String> getAllState(String sessionId) {
        return new HashMap<>(liveEntry(sessionId, now()).state);
    }

    @Override
    public StatePage readState(String sessionId, @Nullable String after, int limit) {
        return StatePage.of(liveEntry(sessionId, now()).state, after, limit, this.settings.pageBudget());
    }

    @Override
    public void putState(String sessionId, String key, String jsonValue) {
        String value = this.settings.checkState(key, jsonValue);
        Instant now = now();
        SessionEntry entry = liveEntry(sessionId, now);
        if (entry.state.replace(key, value) == null) {
            // A new key: counted and added under one lock, so concurrent writers never pass max-keys together.
            synchronized (entry.state) {
                if (!entry.state.containsKey(key)) {
                    this.settings.requireStateRoom(sessionId, entry.state.size());
                }
                entry.state.put(key, value);
            }
        }
        entry.touch(now);
    }

    @Override
    public boolean removeState(String sessionId, String key) {
        Limits.requireName("key", key);
        Instant now = now();
        SessionEntry entry = liveEntry(sessionId, now);
        entry.touch(now);
        return entry.state.remove(key) != null;
    }

    // Events

    @Override
    public AppendResult append(String sessionId, NewEvent event) {
        // The common case, without the batch path's lists.
        NewEvent checked = checkAppendable(event);
        Instant now = now();
        SessionEntry entry = entry(sessionId);
        AppendResult result;
        long latest;
        synchronized (entry) {
            requireLive(entry, now);
            EventLog log = entry.log();
            EventRecord original = (checked.id() != null) ? log.findById(checked.id()) : null;
            if (original != null) {
                result = new AppendResult(original, true);
            }
            else {
                this.settings.requireRoom(sessionId, log.size(), 1);
                result = new AppendResult(add(sessionId, entry, checked, now), false);
            }
            log.evictBeyond(this.settings.maxEventsPerSession());
            entry.touch(now);
            latest = log.latest();
        }
        if (result.created()) {
            this.feed.publish();
            this.listeners.appended(sessionId, latest, List.of(result.event()));
        }
        return result;
    }

    @Override
    public List<AppendResult> appendAll(String sessionId, List<NewEvent> events) {
        List<NewEvent> checked = checkBatch(events);
        Instant now = now();
        SessionEntry entry = entry(sessionId);
        List<AppendResult> results = new ArrayList<>(checked.size());
        List<EventRecord> appended = new ArrayList<>(checked.size());
        long latest;
        synchronized (entry) {
            requireLive(entry, now);
            EventLog log = entry.log();
            this.settings.checkRoom(sessionId, log.size(), checked, (id) -> log.findById(id) != null);
            for (NewEvent event : checked) {
                EventRecord original = (event.id() != null) ? log.findById(event.id()) : null;
                if (original != null) {
                    results.add(new AppendResult(original, true));
                    continue;
                }
                EventRecord record = add(sessionId, entry, event, now);
                appended.add(record);
                results.add(new AppendResult(record, false));
            }
            log.evictBeyond(this.settings.maxEventsPerSession());
            entry.touch(now);
            latest = log.latest();
        }
        if (!appended.isEmpty()) {
            this.feed.publish();
            this.listeners.appended(sessionId, latest, appended);
        }
        return results;
    }

    /** Stores a checked event as the log's next; the caller holds the entry's lock. */
    private EventRecord add(String sessionId, SessionEntry entry, NewEvent event, Instant now) {
        EventLog log = entry.log();
        EventRecord record = new EventRecord(sessionId, log.latest() + 1,
                (event.id() != null) ? event.id() : Uuid7.fast(now), event.typeOrDefault(), event.data(),
                event.runId(), event.metadataOrEmpty(), event.timestampOr(now), entry.epoch);
        log.add(record, now);
        // The entry's own timestamp is the store's time of the append; its event keeps the producer's.
        this.feed.enqueue(FeedEntryType.EVENT_APPENDED, sessionId, now, record, null, entry.principal());
        return record;
    }

    @Override
    public EphemeralEvent publishEphemeral(String sessionId, NewEvent event) {
        NewEvent checked = this.settings.checkEvent(event);
        Instant now = now();
        SessionEntry entry = liveEntry(sessionId, now);
        entry.touch(now);
        EphemeralEvent ephemeral = new EphemeralEvent(sessionId, (checked.id() != null) ? checked.id() : Uuid7.fast(now),
                checked.typeOrDefault(), checked.data(), checked.runId(), checked.metadataOrEmpty(),
                checked.timestampOr(now));
        this.listeners.ephemeral(ephemeral);
        return ephemeral;
    }

    @Override
    public EventPage read(String sessionId, EventQuery query) {
        Instant now = now();
        SessionEntry entry = entry(sessionId);
        synchronized (entry) {
            requireLive(entry, now);
            EventLog log = entry.log();
            LogPosition position = log.position(entry.epoch);
            ReadPlan plan = ReadPlan.of(query, position);
            PageBudget budget = this.settings.pageBudget();
            return plan.page(sessionId, position, log.read(plan, query, budget), query.limit(), budget.cut());
        }
    }

    @Override
    public LogPosition position(String sessionId) {
        Instant now = now();
        SessionEntry entry = entry(sessionId);
        synchronized (entry) {
            requireLive(entry, now);
            return entry.log().position(entry.epoch);
        }
    }

    @Override
    public void deleteBefore(String sessionId, long before) {
        if (before < 1) {
            throw McpSessionException.invalidRequest("'before' must be at least 1");
        }
        Instant now = now();
        SessionEntry entry = entry(sessionId);
        synchronized (entry) {
            requireLive(entry, now);
            entry.log().evictBefore(before);
        }
    }

    // Feed

    @Override
    public FeedPage readFeed(FeedQuery query) {
        return this.feed.read(query);
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
        Instant eventCutoff = now.minus(this.settings.eventTtl());
        long expired = removeExpired(now);
        long evicted = 0;
        for (SessionEntry entry : this.sessions.values()) {
            synchronized (entry) {
                if (entry.hasLog()) {
                    evicted += entry.log().evictOlderThan(eventCutoff);
                    evicted += entry.log().evictBeyond(this.settings.maxEventsPerSession());
                }
            }
        }
        long feedEvicted = this.feed.evictOlderThan(now.minus(this.settings.feedTtl()));
        return new SweepResult(expired, evicted, feedEvicted);
    }

    @Override
    public void close() {
        this.listeners.clear();
    }

    private long removeExpired(Instant now) {
        long expired = 0;
        for (SessionEntry entry : this.sessions.values()) {
            if (entry.isExpired(now) && remove(entry, CloseReason.EXPIRED, now)) {
                expired++;
            }
        }
        return expired;
    }

    /** Removes a session and its data, records why in the feed and ends its streams; false if already gone. */
    private boolean remove(SessionEntry entry, CloseReason reason, Instant now) {
        synchronized (entry) {
            if (!entry.markRemoved()) {
                return false;
            }
            this.sessions.remove(entry.id, entry);
            CreationKey key = new CreationKey(entry.createdAt().toEpochMilli(), entry.id);
            this.byCreation.remove(key, entry);
            this.removedSessions.add(key, entry.principal());
            this.sessionCount.decrementAndGet();
            this.feed.enqueue((reason == CloseReason.EXPIRED) ? FeedEntryType.SESSION_EXPIRED
                    : FeedEntryType.SESSION_DELETED, entry.id, now, null, null, entry.principal());
        }
        this.feed.publish();
        this.listeners.closed(entry.id, reason);
        return true;
    }

    private List<NewEvent> checkBatch(List<NewEvent> events) {
        if (events.isEmpty()) {
            throw McpSessionException.invalidRequest("A batch holds at least one event");
        }
        List<NewEvent> checked = new ArrayList<>(events.size());
        for (NewEvent event : events) {
            checked.add(checkAppendable(event));
        }
        return checked;
    }

    private NewEvent checkAppendable(NewEvent event) {
        if (event.ephemeral()) {
            throw McpSessionException.invalidRequest("Ephemeral events are published, not appended");
        }
        return this.settings.checkEvent(event);
    }

    /**
     * Places a list cursor: a session of a visible owner, live or recently removed, or else the timestamp of a
     * UUIDv7 id. Any other id, including one of an owner the listing may not see, is unknown.
     */
    private CreationKey creationKeyOf(String sessionId, Predicate<@Nullable String> owners) {
        SessionEntry entry = this.sessions.get(sessionId);
        if (entry != null && owners.test(entry.principal())) {
            return new CreationKey(entry.createdAt().toEpochMilli(), sessionId);
        }
        CreationKey removed = this.removedSessions.find(sessionId, owners);
        if (removed != null) {
            return removed;
        }
        Instant createdAt = SessionIds.timestampOf(sessionId)
            .orElseThrow(() -> new McpSessionException(ErrorCode.INVALID_CURSOR,
                    "Invalid cursor: no session '" + sessionId + "' to continue after"));
        return new CreationKey(createdAt.toEpochMilli(), sessionId);
    }

    private SessionEntry entry(String sessionId) {
        SessionEntry entry = this.sessions.get(sessionId);
        if (entry == null) {
            throw McpSessionException.sessionNotFound(sessionId);
        }
        return entry;
    }

    private SessionEntry liveEntry(String sessionId, Instant now) {
        SessionEntry entry = entry(sessionId);
        if (entry.isExpired(now)) {
            throw McpSessionException.sessionNotFound(sessionId);
        }
        return entry;
    }

    private static void requireLive(SessionEntry entry, Instant now) {
        if (entry.isRemoved() || entry.isExpired(now)) {
            throw McpSessionException.sessionNotFound(entry.id);
        }
    }

    private Instant now() {
        return Timestamps.now(this.clock);
    }

    /**
     * Where recently removed sessions stood in the list order, so that a list cursor naming one still places the
     * next page. Bounded: the oldest are forgotten first.
     */
    private static final class RemovedSessions {

        private static final int CAPACITY = 10_000;

        private record Removed(CreationKey key, @Nullable String principal) {
        }

        private final Map<String, Removed> removed = new LinkedHashMap<>(16, 0.75f, false) {

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Removed> eldest) {
                return size() > CAPACITY;
            }

        };

        synchronized void add(CreationKey key, @Nullable String principal) {
            this.removed.put(key.id(), new Removed(key, principal));
        }

        synchronized @Nullable CreationKey find(String sessionId, Predicate<@Nullable String> owners) {
            Removed removed = this.removed.get(sessionId);
            return (removed != null && owners.test(removed.principal())) ? removed.key() : null;
        }

    }

}
