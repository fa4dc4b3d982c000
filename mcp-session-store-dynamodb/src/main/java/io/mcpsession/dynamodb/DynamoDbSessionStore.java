package io.mcpsession.dynamodb;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.Select;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.Epochs;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
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
 * A {@link SessionStore} on DynamoDB that needs only what every compatible server offers: single-item conditional
 * writes, queries on a partition and sort key, and TTL attributes (no transactions, no Streams).
 * <p>
 * An append puts one log item at {@code latest + 1} with {@code attribute_not_exists}: the log is its own
 * counter, a batch is one item, and that put is the whole commit, so no reader ever sees half an append and a
 * writer that dies before it left nothing. Idempotency reads, after the feed cursor of the session, the claims
 * the feed sequencer wrote for numbered events and the log items it has not numbered yet; a racing duplicate
 * loses the put and finds the winner in the window. The feed is numbered after the fact by one sequencer under a
 * lease ({@link DynamoDbFeed}); other instances' readers wake through a batched position check of the sessions
 * they wait on ({@link DynamoDbWakeUps}).
 */
public final class DynamoDbSessionStore implements SessionStore {

    /** The table prefix of the contract. */
    public static final String DEFAULT_TABLE_PREFIX = "mcp_";

    /** The poll interval of the contract. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

    private static final int LIST_PAGE = 100;

    private final Requests requests;

    private final StoreSettings settings;

    private final DynamoDbTables tables;

    private final Clock clock;

    private final ListenerRegistry listeners = new ListenerRegistry();

    private final EventLogs logs;

    private final DynamoDbFeed feed;

    private final DynamoDbWakeUps wakeUps;

    private final StoreSweep sweep;

    private final ExecutorService feedWriters;

    /**
     * A store on existing tables, checked at construction.
     * @param client the DynamoDB client (its region, endpoint and credentials)
     * @param settings the limits and retention the store enforces
     * @param tablePrefix the prefix of the table names ({@value #DEFAULT_TABLE_PREFIX} by default)
     * @param clock the clock of every time decision
     * @param pollInterval how often waiting readers' sessions are checked for other instances' appends, and the
     * feed for changes to number
     */
    public DynamoDbSessionStore(DynamoDbClient client, StoreSettings settings, String tablePrefix, Clock clock,
            Duration pollInterval) {
        this(client, settings, tablePrefix, clock, pollInterval, false);
    }

    /**
     * A store that creates its tables first when {@code createTables} is true, else checks them.
     * @throws IllegalStateException when the tables are missing or cannot be created, saying what to do
     */
    public DynamoDbSessionStore(DynamoDbClient client, StoreSettings settings, String tablePrefix, Clock clock,
            Duration pollInterval, boolean createTables) {
        Objects.requireNonNull(client, "client");
        this.requests = new Requests(client);
        this.settings = Objects.requireNonNull(settings, "settings");
        this.tables = new DynamoDbTables(tablePrefix);
        this.clock = Objects.requireNonNull(clock, "clock");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("The poll interval must be positive");
        }
        if (createTables) {
            this.tables.create(client);
        }
        else {
            this.tables.check(client);
        }
        this.logs = new EventLogs(this.requests, this.tables.events, settings.eventTtl());
        this.feedWriters = Executors.newFixedThreadPool(16, (runnable) -> {
            Thread thread = new Thread(runnable, "mcp-session-dynamodb-feed");
            thread.setDaemon(true);
            return thread;
        });
        Duration lease = Duration.ofMillis(Math.max(10_000, pollInterval.toMillis() * 20));
        this.feed = new DynamoDbFeed(this.requests, this.logs, this.tables, settings.feedEnabled(),
                settings.feedMaxEntries(), settings.feedTtl(), settings.eventTtl(), settings.maxPageBytes(), clock, lease,
                this.feedWriters);
        this.feed.initialize();
        this.wakeUps = new DynamoDbWakeUps(this.requests, this.tables.sessions, this.listeners, this.feed, clock,
                pollInterval);
        this.sweep = new StoreSweep(this, lease);
    }

    /**
     * Whether tables are created at start-up unless configured otherwise: only for a local endpoint (a server
     * on this machine, as in development and tests), never for AWS itself.
     * @param endpoint the configured endpoint, or {@code null} for the region's AWS endpoint
     */
    public static boolean createTablesByDefault(@Nullable URI endpoint) {
        String host = (endpoint != null) ? endpoint.getHost() : null;
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("::1") || host.endsWith(".localhost"));
    }

    @Override
    public String type() {
        return "dynamodb";
    }

    @Override
    public String describe() {
        return "dynamodb (tables " + this.tables.sessions + ", " + this.tables.events + ")";
    }

    /** The tables of this store (for tests and operators). */
    public List<String> tableNames() {
        return List.of(this.tables.sessions, this.tables.events);
    }

    // Sessions

    @Override
    public Session create(NewSession request) {
        NewSession checked = this.settings.checkSession(request.checked());
        Instant now = now();
        String id = (checked.id() != null) ? checked.id() : SessionIds.generate(now);
        Session session = fitsOneItem(checked.toSession(id, now, this.settings.timeout()));
        String epoch = Epochs.next();
        String partition = SessionKeys.partition(id, epoch);
        reserveSlot(now);
        boolean created = false;
        try {
            // The list entries and the created record go first: without a head they are skipped, never missed.
            List<Map<String, AttributeValue>> entries = listEntries(session, epoch);
            this.requests.batchPut(this.tables.sessions, entries);
            this.feed.record(partition, 1, FeedEntryType.SESSION_CREATED, 0, session, now, session.principal());
            Map<String, AttributeValue> old = this.requests.putReturningOld(this.tables.sessions,
                    SessionHead.itemOf(session, epoch), "attribute_not_exists(#pk) OR #expires < :now",
                    Map.of(":now", Items.n(now.toEpochMilli())));
            if (old == null) {
                this.requests.batchDelete(this.tables.sessions,
                        entries.stream().map((item) -> Items.key(Items.requiredString(item, Items.PK),
                                Items.requiredString(item, Items.SK))).toList());
                this.feed.forget(partition, 1);
                throw new McpSessionException(ErrorCode.SESSION_EXISTS, "Session '" + id + "' already exists");
            }
            created = true;
            SessionHead replaced = SessionHead.of(old);
            if (replaced != null) {
                // An expired session of the same id, not swept yet: it ends now, as the sweeper would end it.
                removed(replaced, CloseReason.EXPIRED, now);
            }
            this.feed.mark(partition, session.principal());
        }
        finally {
            if (!created) {
                releaseSlot();
            }
        }
        this.wakeUps.feedChanged();
        return session;
    }

    private List<Map<String, AttributeValue>> listEntries(Session session, String epoch) {
        List<Map<String, AttributeValue>> entries = new ArrayList<>();
        for (String list : List.of(SessionKeys.listOf(true, null), SessionKeys.listOf(false, session.principal()))) {
            Map<String, AttributeValue> entry = Items.item(Items.key(list,
                    SessionKeys.listSortKey(session.createdAt().toEpochMilli(), session.id(), epoch)));
            entry.put("epoch", Items.s(epoch));
            entries.add(entry);
        }
        return entries;
    }

    /** Counts a new session against {@code max-sessions}, sweeping expired ones first when the store is full. */
    private void reserveSlot(Instant now) {
        for (int attempt = 0; attempt < 2; attempt++) {
            if (this.requests.update(this.tables.sessions, SessionKeys.meta("count"), "ADD #sessions :one",
                    "attribute_not_exists(#sessions) OR #sessions < :max",
                    Map.of(":one", Items.n(1), ":max", Items.n(this.settings.maxSessions()))) != null) {
                return;
            }
            if (attempt == 0) {
                this.sweep.expireSessions(now);
            }
        }
        throw new McpSessionException(ErrorCode.MAX_SESSIONS_REACHED,
                "The store holds its maximum of " + this.settings.maxSessions() + " sessions");
    }

    private void releaseSlot() {
        this.requests.update(this.tables.sessions, SessionKeys.meta("count"), "ADD #sessions :minus", null,
                Map.of(":minus", Items.n(-1)));
    }

    @Override
    public Optional<Session> find(String sessionId) {
        SessionHead head = head(sessionId);
        return (head != null && !head.isExpired(now())) ? Optional.of(head.session()) : Optional.empty();
    }

    @Override
    public Session update(String sessionId, SessionPatch patch) {
        while (true) {
            Instant now = now();
            SessionHead head = liveHead(sessionId, now);
            Session updated = fitsOneItem(this.settings.checkSession(patch.applyTo(head.session()))
                .withActivity(now, now.plus(this.settings.timeout())));
            Map<String, AttributeValue> values = new HashMap<>();
            StringBuilder set = new StringBuilder("SET #initialized = :initialized, #metadata = :metadata, "
                    + "#active = :active, #expires = :expires, #expires_at = :ttl, #version = :next");
            List<String> remove = new ArrayList<>();
            values.put(":initialized", Items.bool(updated.initialized()));
            values.put(":metadata", Items.s(updated.metadata()));
            member(set, remove, values, "client", updated.clientCapabilities());
            member(set, remove, values, "server", updated.serverCapabilities());
            member(set, remove, values, "protocol", updated.protocolVersion());
            values.put(":active", Items.n(now.toEpochMilli()));
            values.put(":expires", Items.n(updated.expiresAt().toEpochMilli()));
            values.put(":ttl", Items.n(DynamoDbTables.ttl(updated.expiresAt())));
            values.put(":next", Items.n(head.version() + 1));
            values.put(":version", Items.n(head.version()));
            values.put(":epoch", Items.s(head.epoch()));
            values.put(":now", Items.n(now.toEpochMilli()));
            String expression = set + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
            if (this.requests.update(this.tables.sessions, SessionKeys.head(sessionId), expression,
                    "#version = :version AND #epoch = :epoch AND #expires >= :now", values) == null) {
                continue;
            }
            this.feed.record(head.partition(), head.version() + 1, FeedEntryType.SESSION_UPDATED,
                    latestOf(head.partition()), updated, now, updated.principal());
            this.feed.mark(head.partition(), updated.principal());
            this.wakeUps.feedChanged();
            return updated;
        }
    }

    /** A session's head is one item: its capabilities and metadata fit one, or the request is too large. */
    private static Session fitsOneItem(Session session) {
        if (PageBudget.bytesOf(session) > EventLogs.MAX_ITEM_BYTES) {
            throw new McpSessionException(ErrorCode.PAYLOAD_TOO_LARGE, "A session's capabilities and metadata may "
                    + "take at most " + EventLogs.MAX_ITEM_BYTES + " bytes on DynamoDB");
        }
        return session;
    }

    private static void member(StringBuilder set, List<String> remove, Map<String, AttributeValue> values,
            String name, @Nullable String value) {
        if (value != null) {
            set.append(", #").append(name).append(" = :").append(name);
            values.put(":" + name, Items.s(value));
        }
        else {
            remove.add("#" + name);
        }
    }

    @Override
    public boolean delete(String sessionId) {
        Instant now = now();
        Map<String, AttributeValue> old = this.requests.delete(this.tables.sessions, SessionKeys.head(sessionId),
                null, Map.of());
        SessionHead head = (old != null) ? SessionHead.of(old) : null;
        if (head == null) {
            return false;
        }
        boolean expired = head.isExpired(now);
        removed(head, expired ? CloseReason.EXPIRED : CloseReason.DELETED, now);
        return !expired;
    }

    /**
     * Finishes the removal of a session whose head is gone: its feed entry, its list entries, its count, its
     * data (handed to the sweeper) and its readers.
     */
    void removed(SessionHead head, CloseReason reason, Instant now) {
        Session session = head.session();
        Map<String, AttributeValue> gone = Items.item(SessionKeys.gone(session.id()));
        gone.put("reason", Items.s(reason.value()));
        gone.put("created", Items.n(session.createdAt().toEpochMilli()));
        Items.put(gone, "principal", session.principal());
        gone.put("epoch", Items.s(head.epoch()));
        gone.put(Items.TTL, Items.n(DynamoDbTables.ttl(now.plus(Duration.ofDays(1)))));
        this.requests.put(this.tables.sessions, gone, null, Map.of());
        this.requests.put(this.tables.sessions, Items.item(SessionKeys.trash(head.partition())), null, Map.of());
        this.feed.record(head.partition(), -1, (reason == CloseReason.EXPIRED) ? FeedEntryType.SESSION_EXPIRED
                : FeedEntryType.SESSION_DELETED, Long.MAX_VALUE, null, now, session.principal());
        this.feed.mark(head.partition(), session.principal());
        this.requests.batchDelete(this.tables.sessions, listEntries(session, head.epoch()).stream()
            .map((item) -> Items.key(Items.requiredString(item, Items.PK), Items.requiredString(item, Items.SK)))
            .toList());
        releaseSlot();
        this.wakeUps.closed(session.id(), reason);
        this.wakeUps.feedChanged();
    }

    @Override
    public SessionPage list(@Nullable String after, int limit) {
        return list(after, limit, true, null);
    }

    @Override
    public SessionPage list(@Nullable String after, int limit, @Nullable String principal) {
        return list(after, limit, false, principal);
    }

    private SessionPage list(@Nullable String after, int limit, boolean all, @Nullable String principal) {
        Limits.requireReadLimit(limit);
        Instant now = now();
        String list = SessionKeys.listOf(all, principal);
        String from = (after != null) ? SessionKeys.listCursor(createdAtOf(after, all, principal), after) : "";
        List<Session> page = new ArrayList<>();
        PageBudget budget = this.settings.pageBudget();
        Map<String, AttributeValue> start = null;
        while (true) {
            QueryResponse entries = this.requests.query(this.tables.sessions, "#pk = :pk AND #sk > :from",
                    Map.of(":pk", Items.s(list), ":from", Items.s(from)), true, LIST_PAGE, start);
            Map<String, SessionHead> heads = new HashMap<>();
            for (Map<String, AttributeValue> item : this.requests.batchGet(this.tables.sessions, entries.items()
                .stream()
                .map((entry) -> SessionKeys.head(sessionIdOf(entry)))
                .toList())) {
                SessionHead head = SessionHead.of(item);
                heads.put(head.session().id(), head);
            }
            for (Map<String, AttributeValue> entry : entries.items()) {
                SessionHead head = heads.get(sessionIdOf(entry));
                if (head == null || head.isExpired(now) || !head.epoch().equals(Items.string(entry, "epoch"))) {
                    continue;
                }
                if (page.size() == limit || !budget.take(PageBudget.bytesOf(head.session()))) {
                    return new SessionPage(page, page.get(page.size() - 1).id());
                }
                page.add(head.session());
            }
            start = entries.hasLastEvaluatedKey() ? entries.lastEvaluatedKey() : null;
            if (start == null || start.isEmpty()) {
                return new SessionPage(page, null);
            }
        }
    }

    private static String sessionIdOf(Map<String, AttributeValue> listEntry) {
        return SessionKeys.sessionOfListEntry(Items.requiredString(listEntry, Items.SK));
    }

    /** Where a list cursor stands: a visible session, live or removed, or the time of a UUIDv7 id. */
    private long createdAtOf(String sessionId, boolean all, @Nullable String principal) {
        SessionHead head = head(sessionId);
        if (head != null && (all || Objects.equals(head.session().principal(), principal))) {
            return head.session().createdAt().toEpochMilli();
        }
        Map<String, AttributeValue> gone = this.requests.get(this.tables.sessions, SessionKeys.gone(sessionId));
        if (!gone.isEmpty() && (all || Objects.equals(Items.string(gone, "principal"), principal))) {
            return Items.number(gone, "created", 0);
        }
        return SessionIds.timestampOf(sessionId)
            .orElseThrow(() -> new McpSessionException(ErrorCode.INVALID_CURSOR,
                    "Invalid cursor: no session '" + sessionId + "' to continue after"))
            .toEpochMilli();
    }

    @Override
    public Session touch(String sessionId) {
        return touched(sessionId, now());
    }

    /** Records activity on a live session, in one conditional write; its head after it. */
    private SessionHead touchedHead(String sessionId, Instant now) {
        Instant expires = now.plus(this.settings.timeout());
        Map<String, AttributeValue> item = this.requests.update(this.tables.sessions, SessionKeys.head(sessionId),
                "SET #active = :now, #expires = :expires, #expires_at = :ttl",
                "attribute_exists(#pk) AND #expires >= :now", Map.of(":now", Items.n(now.toEpochMilli()), ":expires",
                        Items.n(expires.toEpochMilli()), ":ttl", Items.n(DynamoDbTables.ttl(expires))));
        SessionHead head = (item != null) ? SessionHead.of(item) : null;
        if (head == null) {
            throw McpSessionException.sessionNotFound(sessionId);
        }
        return head;
    }

    private Session touched(String sessionId, Instant now) {
        return touchedHead(sessionId, now).session();
    }

    // State

    @Override
    public Optional<String> getState(String sessionId, String key) {
        Limits.requireName("key", key);
        SessionHead head = liveHead(sessionId, now());
        return Optional.ofNullable(Items.string(
                this.requests.get(this.tables.sessions, SessionKeys.state(head.partition(), key)), "value"));
    }

    @Override
    public Map<String, String> getAllState(String sessionId) {
        SessionHead head = liveHead(sessionId, now());
        Map<String, String> state = new LinkedHashMap<>();
        for (Map<String, AttributeValue> item : this.requests.queryAll(this.tables.sessions,
                "#pk = :pk AND begins_with(#sk, :state)",
                Map.of(":pk", Items.s(head.partition()), ":state", Items.s("k#")), true)) {
            state.put(Items.requiredString(item, Items.SK).substring(2), Items.requiredString(item, "value"));
        }
        return state;
    }

    @Override
    public StatePage readState(String sessionId, @Nullable String after, int limit) {
        return StatePage.of(getAllState(sessionId), after, limit, this.settings.pageBudget());
    }

    @Override
    public void putState(String sessionId, String key, String jsonValue) {
        String value = this.settings.checkState(key, jsonValue);
        SessionHead head = touchedHead(sessionId, now());
        Map<String, AttributeValue> item = Items.item(SessionKeys.state(head.partition(), key));
        item.put("value", Items.s(value));
        if (io.mcpsession.core.JsonText.utf8Length(value) > EventLogs.MAX_ITEM_BYTES) {
            throw new McpSessionException(ErrorCode.PAYLOAD_TOO_LARGE,
                    "A state value may take at most " + EventLogs.MAX_ITEM_BYTES + " bytes on DynamoDB");
        }
        if (this.requests.put(this.tables.sessions, item, "attribute_exists(#pk)", Map.of())) {
            return;
        }
        QueryResponse count = DynamoDbFailures.call(() -> this.requests.client()
            .query((request) -> request.tableName(this.tables.sessions)
                .keyConditionExpression("#pk = :pk AND begins_with(#sk, :state)")
                .expressionAttributeNames(Map.of("#pk", Items.PK, "#sk", Items.SK))
                .expressionAttributeValues(Map.of(":pk", Items.s(head.partition()), ":state", Items.s("k#")))
                .select(Select.COUNT)
                .consistentRead(true)));
        this.settings.requireStateRoom(sessionId, count.count());
        this.requests.put(this.tables.sessions, item, null, Map.of());
    }

    @Override
    public boolean removeState(String sessionId, String key) {
        Limits.requireName("key", key);
        SessionHead head = touchedHead(sessionId, now());
        Map<String, AttributeValue> old = this.requests.delete(this.tables.sessions,
                SessionKeys.state(head.partition(), key), null, Map.of());
        return old != null && !old.isEmpty();
    }

    // Events

    @Override
    public AppendResult append(String sessionId, NewEvent event) {
        return appendChecked(sessionId, List.of(checkAppendable(event))).get(0);
    }

    @Override
    public List<AppendResult> appendAll(String sessionId, List<NewEvent> events) {
        if (events.isEmpty()) {
            throw McpSessionException.invalidRequest("A batch holds at least one event");
        }
        List<NewEvent> checked = new ArrayList<>(events.size());
        for (NewEvent event : events) {
            checked.add(checkAppendable(event));
        }
        return appendChecked(sessionId, checked);
    }

    private List<AppendResult> appendChecked(String sessionId, List<NewEvent> events) {
        Instant now = now();
        SessionHead head = liveHead(sessionId, now);
        String partition = head.partition();
        // The cursor is read before the window and the claims: claims exist for every event up to it.
        long numbered = this.feed.cursor(partition).through();
        boolean identified = events.stream().anyMatch((event) -> event.id() != null);
        Map<String, EventRecord> stored = new HashMap<>();
        if (identified) {
            for (Map<String, AttributeValue> claim : this.requests.batchGet(this.tables.sessions, events.stream()
                .map(NewEvent::id)
                .filter(Objects::nonNull)
                .distinct()
                .map((id) -> SessionKeys.claim(partition, id))
                .toList())) {
                long seq = Items.number(claim, "seq", 0);
                EventRecord original = (seq >= head.floor())
                        ? this.logs.eventAt(partition, sessionId, head.epoch(), seq) : null;
                if (original != null) {
                    stored.put(original.id(), original);
                }
            }
        }
        long latest = numbered;
        for (int attempt = 0;; attempt++) {
            // Only what follows the last seq seen: the whole of it when ids are to be matched, else its tail.
            List<Map<String, AttributeValue>> window = identified ? this.logs.window(partition, latest)
                    : this.logs.tail(partition, latest);
            for (Map<String, AttributeValue> item : window) {
                latest = Math.max(latest, EventLogs.lastSeq(item));
                if (identified) {
                    for (EventRecord event : EventLogs.events(item, sessionId, head.epoch())) {
                        if (event.seq() >= head.floor()) {
                            stored.putIfAbsent(event.id(), event);
                        }
                    }
                }
            }
            List<AppendResult> results = attempt(head, partition, numbered, latest, events, stored, now);
            if (results != null) {
                return results;
            }
            // Another append took the seq first: back off a little, so that a crowd of writers spreads out.
            LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1_000_000L * Math.min(8, attempt + 1)));
        }
    }

    /** One try at the put; {@code null} when another append took {@code latest + 1} first. */
    private @Nullable List<AppendResult> attempt(SessionHead head, String partition, long numbered, long latest,
            List<NewEvent> events, Map<String, EventRecord> stored, Instant now) {
        String sessionId = head.session().id();
        List<AppendResult> results = new ArrayList<>(events.size());
        List<EventRecord> fresh = new ArrayList<>();
        Map<String, EventRecord> inBatch = new HashMap<>();
        for (NewEvent event : events) {
            EventRecord original = (event.id() != null) ? stored.get(event.id()) : null;
            if (original == null && event.id() != null) {
                original = inBatch.get(event.id());
            }
            if (original != null) {
                results.add(new AppendResult(original, true));
                continue;
            }
            EventRecord record = new EventRecord(sessionId, latest + fresh.size() + 1,
                    (event.id() != null) ? event.id() : Uuid7.fast(now), event.typeOrDefault(), event.data(),
                    event.runId(), event.metadataOrEmpty(), event.timestampOr(now), head.epoch());
            fresh.add(record);
            inBatch.put(record.id(), record);
            results.add(new AppendResult(record, false));
        }
        if (fresh.isEmpty()) {
            touchAfterAppend(head, 0, now);
            if (results.stream().anyMatch((result) -> result.event().seq() > numbered)) {
                // A retry of an append whose writer died before its mark: the mark comes now.
                this.feed.mark(partition, head.session().principal());
                this.wakeUps.feedChanged();
            }
            return results;
        }
        long retained = Math.max(0, latest - head.floor() + 1);
        this.settings.requireRoom(sessionId, retained, fresh.size());
        Map<String, AttributeValue> item;
        try {
            item = this.logs.item(partition, fresh, now);
        }
        catch (EventLogs.ItemTooLargeException ex) {
            throw new McpSessionException(ErrorCode.PAYLOAD_TOO_LARGE, "An append (one event, or a whole batch) may "
                    + "take at most " + EventLogs.MAX_ITEM_BYTES + " bytes on DynamoDB");
        }
        if (!this.logs.put(item)) {
            return null;
        }
        long last = fresh.get(fresh.size() - 1).seq();
        touchAfterAppend(head, last, now);
        this.feed.mark(partition, head.session().principal());
        this.wakeUps.appended(sessionId, last, fresh);
        this.wakeUps.feedChanged();
        return results;
    }

    /**
     * Counts an append as activity and reports its seq on the head, for other instances' position checks. The
     * append has committed already: a session deleted or expired meanwhile stays so.
     */
    private void touchAfterAppend(SessionHead head, long last, Instant now) {
        Instant expires = now.plus(this.settings.timeout());
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":now", Items.n(now.toEpochMilli()), ":expires",
                Items.n(expires.toEpochMilli()), ":ttl", Items.n(DynamoDbTables.ttl(expires)), ":epoch",
                Items.s(head.epoch())));
        String live = "#epoch = :epoch AND #expires >= :now";
        if (last > 0) {
            values.put(":last", Items.n(last));
            if (this.requests.update(this.tables.sessions, SessionKeys.head(head.session().id()),
                    "SET #active = :now, #expires = :expires, #expires_at = :ttl, #reported = :last",
                    live + " AND #reported < :last", values) != null) {
                return;
            }
            values.remove(":last");
        }
        this.requests.update(this.tables.sessions, SessionKeys.head(head.session().id()),
                "SET #active = :now, #expires = :expires, #expires_at = :ttl", live, values);
    }

    private NewEvent checkAppendable(NewEvent event) {
        if (event.ephemeral()) {
            throw McpSessionException.invalidRequest("Ephemeral events are published, not appended");
        }
        return this.settings.checkEvent(event);
    }

    @Override
    public EphemeralEvent publishEphemeral(String sessionId, NewEvent event) {
        NewEvent checked = this.settings.checkEvent(event);
        Instant now = now();
        touched(sessionId, now);
        EphemeralEvent ephemeral = new EphemeralEvent(sessionId,
                (checked.id() != null) ? checked.id() : Uuid7.fast(now), checked.typeOrDefault(), checked.data(),
                checked.runId(), checked.metadataOrEmpty(), checked.timestampOr(now));
        // Ephemeral events reach this instance's readers only: the store keeps nothing of them.
        this.listeners.ephemeral(ephemeral);
        return ephemeral;
    }

    @Override
    public EventPage read(String sessionId, EventQuery query) {
        for (int attempt = 0;; attempt++) {
            SessionHead head = liveHead(sessionId, now());
            LogPosition position = positionOf(head);
            ReadPlan plan = ReadPlan.of(query, position);
            List<EventRecord> events = new ArrayList<>();
            PageBudget budget = this.settings.pageBudget();
            long[] expected = { plan.after() + 1 };
            boolean[] gap = { false };
            this.logs.visit(head.partition(), sessionId, head.epoch(), plan.after() + 1, plan.upTo(), (event) -> {
                if (event.seq() != expected[0]) {
                    gap[0] = true;
                    return false;
                }
                expected[0]++;
                if (!query.matches(event)) {
                    return true;
                }
                if (!budget.take(PageBudget.bytesOf(event))) {
                    return false;
                }
                events.add(event);
                return events.size() < query.limit();
            });
            boolean complete = events.size() == query.limit() || budget.cut() || expected[0] > plan.upTo();
            // Only retention removes events, from the bottom and after moving the floor: read again above it.
            if ((!gap[0] && complete) || attempt >= 5) {
                return plan.page(sessionId, position, events, query.limit(), budget.cut());
            }
        }
    }

    @Override
    public LogPosition position(String sessionId) {
        return positionOf(liveHead(sessionId, now()));
    }

    private LogPosition positionOf(SessionHead head) {
        long latest = latestOf(head.partition());
        long floor = head.floor();
        return new LogPosition(latest, (floor <= latest) ? floor : latest + 1, head.epoch());
    }

    private long latestOf(String partition) {
        return this.logs.latest(partition, this.feed.cursor(partition).through());
    }

    @Override
    public void deleteBefore(String sessionId, long before) {
        if (before < 1) {
            throw McpSessionException.invalidRequest("'before' must be at least 1");
        }
        SessionHead head = liveHead(sessionId, now());
        long floor = Math.min(before, latestOf(head.partition()) + 1);
        raiseFloor(head, floor);
    }

    /** Moves a log's floor up (never down): the events below it are gone for readers at once. */
    boolean raiseFloor(SessionHead head, long floor) {
        return floor > head.floor() && this.requests.update(this.tables.sessions, SessionKeys.head(head.session().id()),
                "SET #floor = :floor", "#epoch = :epoch AND #floor < :floor",
                Map.of(":floor", Items.n(floor), ":epoch", Items.s(head.epoch()))) != null;
    }

    // Feed

    @Override
    public FeedPage readFeed(FeedQuery query) {
        return this.feed.read(query);
    }

    // Waiting and housekeeping

    @Override
    public Subscription subscribe(String sessionId, SessionListener listener) {
        return this.wakeUps.watch(sessionId, this.listeners.subscribe(sessionId, listener));
    }

    @Override
    public Subscription subscribeFeed(FeedListener listener) {
        return this.listeners.subscribeFeed(listener);
    }

    @Override
    public SweepResult sweep() {
        return this.sweep.sweep(now());
    }

    @Override
    public void close() {
        this.wakeUps.close();
        this.feedWriters.shutdown();
        try {
            this.feed.release();
            this.sweep.release();
        }
        catch (RuntimeException ex) {
            // The leases lapse by themselves.
        }
        this.listeners.clear();
    }

    // Shared with the sweeper

    Requests requests() {
        return this.requests;
    }

    DynamoDbTables tables() {
        return this.tables;
    }

    EventLogs logs() {
        return this.logs;
    }

    DynamoDbFeed feed() {
        return this.feed;
    }

    StoreSettings settings() {
        return this.settings;
    }

    Clock clock() {
        return this.clock;
    }

    @Nullable SessionHead head(String sessionId) {
        return SessionHead.of(this.requests.get(this.tables.sessions, SessionKeys.head(sessionId)));
    }

    private SessionHead liveHead(String sessionId, Instant now) {
        SessionHead head = head(sessionId);
        if (head == null || head.isExpired(now)) {
            throw McpSessionException.sessionNotFound(sessionId);
        }
        return head;
    }

    private Instant now() {
        return Timestamps.now(this.clock);
    }

}
