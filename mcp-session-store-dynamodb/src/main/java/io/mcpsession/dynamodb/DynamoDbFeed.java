package io.mcpsession.dynamodb;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import io.mcpsession.core.Epochs;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.JsonText;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.PageBudget;
import io.mcpsession.core.ReadPlan;
import io.mcpsession.core.RecordJson;
import io.mcpsession.core.Session;

/**
 * The global feed, numbered after the fact. Writers never touch a shared item: after each commit they put a
 * mark (one item per session epoch, in one of a few shard partitions), and a lifecycle change also leaves a
 * record in the session's partition. One sequencer at a time, under a lease on the feed's meta item, reads the
 * marks, reads what each marked log holds beyond its feed cursor, writes the entries with the next feed seqs and
 * publishes them by moving {@code latest} on the meta item, then moves the cursors and removes what it
 * numbered. Readers see entries up to the published {@code latest} only, so the feed is gap-free; a sequencer
 * that lost its lease cannot publish (the meta update is conditional on its lease generation) nor overwrite
 * another generation's entries. A crash between publishing and moving the cursors is repaired by the next
 * holder from the entries after the meta item's checkpoint.
 */
final class DynamoDbFeed {

    private static final System.Logger logger = System.getLogger(DynamoDbFeed.class.getName());

    private static final String META = "feed";

    private final Requests requests;

    private final EventLogs logs;

    private final String sessions;

    private final String events;

    private final boolean enabled;

    private final long maxEntries;

    private final Duration ttl;

    private final Duration eventTtl;

    private final long maxPageBytes;

    private final Clock clock;

    private final Duration lease;

    private final String owner = UUID.randomUUID().toString();

    private final ExecutorService writers;

    /** The lease generation this instance holds, or -1. */
    private long generation = -1;

    /**
     * What the holder knows of the meta item between rounds (its epoch, the latest it published, its lease's
     * end), so that a round under a lease far from its end reads no meta item; {@code null}: read it. Publishing
     * stays conditional on all of it, so a stale view only costs a round.
     */
    private @Nullable Held held;

    private record Held(String epoch, long latest, long until) {
    }

    DynamoDbFeed(Requests requests, EventLogs logs, DynamoDbTables tables, boolean enabled, long maxEntries,
            Duration ttl, Duration eventTtl, long maxPageBytes, Clock clock, Duration lease, ExecutorService writers) {
        this.requests = requests;
        this.logs = logs;
        this.sessions = tables.sessions;
        this.events = tables.events;
        this.enabled = enabled;
        this.maxEntries = maxEntries;
        this.ttl = ttl;
        this.eventTtl = eventTtl;
        this.maxPageBytes = maxPageBytes;
        this.clock = clock;
        this.lease = lease;
        this.writers = writers;
    }

    /**
     * Writes the feed's meta item unless it exists: an empty feed in a new epoch. At start-up, and whenever an
     * operator emptied the tables under the running instances: the first instance to notice writes it, the
     * conditional put makes every instance agree on the new epoch.
     */
    void initialize() {
        Map<String, AttributeValue> item = Items.item(SessionKeys.meta(META));
        item.put("latest", Items.n(0));
        item.put("checkpoint", Items.n(0));
        item.put("floor", Items.n(1));
        item.put("generation", Items.n(0));
        item.put("epoch", Items.s(Epochs.next()));
        this.requests.put(this.sessions, item, "attribute_not_exists(#pk)", Map.of());
    }

    boolean enabled() {
        return this.enabled;
    }

    // Writers

    /**
     * Marks a session epoch as changed, after the change committed. Also without a feed: the sequencer then
     * writes only the claims of new events and moves the cursor that idempotency reads.
     */
    void mark(String partition, @Nullable String principal) {
        Map<String, AttributeValue> item = Items.item(SessionKeys.mark(partition));
        item.put("token", Items.s(UUID.randomUUID().toString()));
        Items.put(item, "principal", principal);
        this.requests.put(this.sessions, item, null, Map.of());
    }

    /**
     * Records a lifecycle change of a session epoch.
     * @param version the change's place among the session's lifecycle changes, or {@code -1} for its removal
     * @param after the log's latest seq when the change committed: the entry follows that event
     */
    void record(String partition, long version, FeedEntryType type, long after, @Nullable Session session,
            Instant timestamp, @Nullable String principal) {
        if (!this.enabled) {
            return;
        }
        Map<String, AttributeValue> item = Items.item(
                (version < 0) ? SessionKeys.terminal(partition) : SessionKeys.record(partition, version));
        item.put("type", Items.s(type.value()));
        item.put("after", Items.n(after));
        item.put("at", Items.n(timestamp.toEpochMilli()));
        Items.put(item, "payload", (session != null) ? JsonText.toJson(session) : null);
        Items.put(item, "principal", principal);
        this.requests.put(this.sessions, item, null, Map.of());
    }

    /** Removes a record written ahead of a change that did not commit. */
    void forget(String partition, long version) {
        if (this.enabled) {
            this.requests.delete(this.sessions, SessionKeys.record(partition, version), null, Map.of());
        }
    }

    /** The seq through which a session epoch's events are numbered (claims exist for all of them). */
    Cursor cursor(String partition) {
        return Cursor.of(this.requests.get(this.sessions, SessionKeys.fed(partition)));
    }

    record Cursor(long through, boolean closed) {

        static Cursor of(Map<String, AttributeValue> item) {
            return new Cursor(Items.number(item, "through", 0), Items.bool(item, "closed"));
        }

    }

    // Readers

    /** The feed's position. */
    LogPosition position() {
        return position(meta());
    }

    /** The feed's meta item, written anew in a new epoch when the tables were emptied. */
    private Map<String, AttributeValue> meta() {
        Map<String, AttributeValue> meta = this.requests.get(this.sessions, SessionKeys.meta(META));
        if (meta.isEmpty()) {
            initialize();
            meta = this.requests.get(this.sessions, SessionKeys.meta(META));
        }
        return meta;
    }

    private static LogPosition position(Map<String, AttributeValue> meta) {
        long latest = Items.number(meta, "latest", 0);
        long floor = Items.number(meta, "floor", 1);
        return new LogPosition(latest, (floor <= latest) ? floor : latest + 1, Items.requiredString(meta, "epoch"));
    }

    FeedPage read(FeedQuery query) {
        for (int attempt = 0;; attempt++) {
            LogPosition position = position();
            ReadPlan plan = ReadPlan.of(query.after(), query.epoch(), null, position);
            List<FeedEntry> entries = new ArrayList<>();
            PageBudget budget = new PageBudget(this.maxPageBytes);
            long expected = plan.after() + 1;
            boolean gap = false;
            Map<String, AttributeValue> start = null;
            pages: while (expected <= plan.upTo()) {
                QueryResponse page = this.requests.query(this.events, "#pk = :pk AND #sk BETWEEN :from AND :to",
                        Map.of(":pk", Items.s(SessionKeys.FEED), ":from", Items.n(expected), ":to",
                                Items.n(plan.upTo())),
                        true, Math.min(1000, Math.max(100, query.limit())), start);
                for (Map<String, AttributeValue> item : page.items()) {
                    long seq = Items.number(item, Items.SK, 0);
                    if (seq != expected) {
                        gap = true;
                        break pages;
                    }
                    expected++;
                    FeedEntry entry = entryOf(item, position.epoch());
                    if (!query.matches(entry)) {
                        continue;
                    }
                    if (!budget.take(PageBudget.bytesOf(entry))) {
                        break pages;
                    }
                    entries.add(entry);
                    if (entries.size() == query.limit()) {
                        break pages;
                    }
                }
                start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
                if (start == null || start.isEmpty()) {
                    gap = expected <= plan.upTo();
                    break;
                }
            }
            // Only retention removes entries, from the bottom and after moving the floor: read again above it.
            if (!gap || attempt >= 5) {
                return plan.feedPage(position, entries, query.limit(), budget.cut());
            }
        }
    }

    private static FeedEntry entryOf(Map<String, AttributeValue> item, String epoch) {
        FeedEntryType type = FeedEntryType.fromValue(Items.requiredString(item, "type"))
            .orElseThrow(() -> new IllegalStateException("Unknown feed entry type in the store"));
        String payload = Items.string(item, "payload");
        EventRecord event = (type == FeedEntryType.EVENT_APPENDED && payload != null) ? RecordJson.event(payload) : null;
        Session session = ((type == FeedEntryType.SESSION_CREATED || type == FeedEntryType.SESSION_UPDATED)
                && payload != null) ? RecordJson.session(payload) : null;
        return new FeedEntry(Items.number(item, Items.SK, 0), type, Items.requiredString(item, "session"),
                Instant.ofEpochMilli(Items.number(item, "at", 0)), epoch, event, session,
                Items.string(item, "principal"));
    }

    // The sequencer

    /** One entry to number: its item without seq, and what numbering it moves. */
    private record Pending(Map<String, AttributeValue> item, String partition, long eventSeq,
            @Nullable String recordKey, boolean terminal) {
    }

    /**
     * Numbers what changed since the last round, if this instance holds (or can take) the lease.
     * @return the feed's new latest seq and its epoch, or {@code null} when nothing was published
     */
    synchronized @Nullable LogPosition number() {
        try {
            return round();
        }
        catch (RuntimeException ex) {
            // Whatever the round left half-done, the next one reads the meta item and repairs it.
            this.held = null;
            throw ex;
        }
    }

    private @Nullable LogPosition round() {
        Held held = this.held;
        if (held == null || held.until() - this.clock.millis() <= this.lease.toMillis() / 2) {
            Map<String, AttributeValue> meta = meta();
            if (!holdLease(meta)) {
                this.held = null;
                return null;
            }
            meta = meta();
            held = new Held(Items.requiredString(meta, "epoch"), Items.number(meta, "latest", 0),
                    Items.number(meta, "until", 0));
            if (Items.number(meta, "checkpoint", 0) < held.latest()) {
                repair(Items.number(meta, "checkpoint", 0), held.latest());
            }
            this.held = held;
        }
        String epoch = held.epoch();
        long latest = held.latest();
        List<Map<String, AttributeValue>> marks = new ArrayList<>();
        List<Supplier<List<Map<String, AttributeValue>>>> shards = new ArrayList<>();
        for (int shard = 0; shard < SessionKeys.MARK_SHARDS; shard++) {
            String pk = SessionKeys.markShard(shard);
            shards.add(() -> this.requests.queryAll(this.sessions, "#pk = :pk", Map.of(":pk", Items.s(pk)), true));
        }
        inParallel(shards).forEach(marks::addAll);
        if (marks.isEmpty()) {
            return null;
        }
        Map<String, Cursor> cursors = new HashMap<>();
        for (Map<String, AttributeValue> fed : this.requests.batchGet(this.sessions, marks.stream()
            .map((mark) -> SessionKeys.fed(Items.requiredString(mark, Items.SK)))
            .toList())) {
            cursors.put(Items.requiredString(fed, Items.PK), Cursor.of(fed));
        }
        // The marked sessions are read in parallel (a round's length bounds how soon an entry shows), and their
        // entries then follow each other in mark order.
        List<Supplier<List<Pending>>> reads = new ArrayList<>();
        for (Map<String, AttributeValue> mark : marks) {
            String partition = Items.requiredString(mark, Items.SK);
            Cursor cursor = cursors.getOrDefault(partition, new Cursor(0, false));
            if (!cursor.closed()) {
                reads.add(() -> collect(partition, cursor, Items.string(mark, "principal")));
            }
        }
        List<List<Pending>> perEpoch = new ArrayList<>(inParallel(reads));
        // An id is taken again only after its old session ended: an epoch whose end this round numbers goes first,
        // so that one id's entries keep their commit order across its sessions (marks come in hash order).
        perEpoch.sort(Comparator.comparing((List<Pending> entries) -> entries.stream().noneMatch(Pending::terminal)));
        List<Pending> pending = new ArrayList<>();
        perEpoch.forEach(pending::addAll);
        Instant now = this.clock.instant();
        long seq = latest;
        Map<String, Cursor> moved = new LinkedHashMap<>();
        List<Map<String, AttributeValue>> claims = new ArrayList<>();
        for (Pending entry : pending) {
            seq++;
            entry.item().put(Items.PK, Items.s(SessionKeys.FEED));
            entry.item().put(Items.SK, Items.n(seq));
            entry.item().put("generation", Items.n(this.generation));
            entry.item().put("epoch", Items.s(epoch));
            entry.item().put(Items.TTL, Items.n(DynamoDbTables.ttl(now.plus(this.ttl))));
            Cursor before = moved.getOrDefault(entry.partition(),
                    cursors.getOrDefault(entry.partition(), new Cursor(0, false)));
            moved.put(entry.partition(), new Cursor(Math.max(before.through(), entry.eventSeq()),
                    before.closed() || entry.terminal()));
            if (entry.eventSeq() > 0) {
                Map<String, AttributeValue> claim = Items.item(SessionKeys.claim(entry.partition(),
                        Items.requiredString(entry.item(), "event")));
                claim.put("seq", Items.n(entry.eventSeq()));
                // A claim lasts as long as its event may be retained.
                claim.put(Items.TTL, Items.n(DynamoDbTables.ttl(now.plus(this.eventTtl))));
                claims.add(claim);
            }
        }
        if (!pending.isEmpty() && !this.enabled) {
            // No feed: claims, then the cursors, for idempotency alone.
            this.requests.batchPut(this.sessions, claims);
            moveCursors(moved);
        }
        else if (!pending.isEmpty()) {
            // Claims before the cursors move: a writer that sees the cursor past an event finds its claim.
            CompletableFuture<Void> claimed = CompletableFuture
                .runAsync(() -> this.requests.batchPut(this.sessions, claims), this.writers);
            boolean written = writeEntries(pending, epoch);
            await(claimed);
            if (!written || !publish(latest, seq)) {
                this.generation = -1;
                this.held = null;
                return null;
            }
            this.held = new Held(epoch, seq, held.until());
            // The cursors, the numbered records and the marks at once; the checkpoint after them (a repair redoes
            // the first two from it).
            List<Supplier<Object>> cleanup = new ArrayList<>(markRemovals(marks));
            cleanup.add(() -> {
                moveCursors(moved);
                return null;
            });
            cleanup.add(() -> {
                this.requests.batchDelete(this.sessions, pending.stream()
                    .filter((entry) -> entry.recordKey() != null)
                    .map((entry) -> Items.key(entry.partition(), entry.recordKey()))
                    .toList());
                return null;
            });
            inParallel(cleanup);
            checkpoint(seq);
            return new LogPosition(seq, 1, epoch);
        }
        inParallel(markRemovals(marks));
        return null;
    }

    /** Removals of the marks a round consumed; a writer that marked again since the query keeps its mark. */
    private List<Supplier<Object>> markRemovals(List<Map<String, AttributeValue>> marks) {
        return marks.stream().<Supplier<Object>>map((mark) -> () -> this.requests.delete(this.sessions,
                Items.key(Items.requiredString(mark, Items.PK), Items.requiredString(mark, Items.SK)),
                "#token = :token", Map.of(":token", mark.get("token"))))
            .toList();
    }

    /** What one marked session epoch adds: its lifecycle records, merged with its events by seq. */
    private List<Pending> collect(String partition, Cursor cursor, @Nullable String markPrincipal) {
        List<Pending> pending = new ArrayList<>();
        String sessionId = SessionKeys.sessionOf(partition);
        String epoch = partition.substring(partition.lastIndexOf('#') + 1);
        // Records first: one that follows event n was written after n committed, so n is read below.
        List<Map<String, AttributeValue>> records = this.requests.queryAll(this.sessions,
                "#pk = :pk AND begins_with(#sk, :records)",
                Map.of(":pk", Items.s(partition), ":records", Items.s("c#")), true);
        List<EventRecord> appended = new ArrayList<>();
        Map<Long, Instant> appendedAt = new HashMap<>();
        for (Map<String, AttributeValue> item : this.logs.itemsAfter(partition, cursor.through())) {
            for (EventRecord event : EventLogs.events(item, sessionId, epoch)) {
                appended.add(event);
                appendedAt.put(event.seq(), EventLogs.appendedAt(item));
            }
        }
        String principal = markPrincipal;
        for (Map<String, AttributeValue> record : records) {
            if (principal == null) {
                principal = Items.string(record, "principal");
            }
        }
        int next = 0;
        Map<String, AttributeValue> terminal = null;
        for (EventRecord event : appended) {
            while (next < records.size() && !isTerminal(records.get(next))
                    && Items.number(records.get(next), "after", 0) < event.seq()) {
                pending.add(recordEntry(partition, sessionId, records.get(next++)));
            }
            if (event.seq() <= cursor.through()) {
                continue;
            }
            Map<String, AttributeValue> item = new HashMap<>();
            item.put("type", Items.s(FeedEntryType.EVENT_APPENDED.value()));
            item.put("session", Items.s(sessionId));
            // The entry's own time is the append's; its event keeps the producer's.
            item.put("at", Items.n(appendedAt.get(event.seq()).toEpochMilli()));
            item.put("payload", Items.s(JsonText.toJson(event)));
            item.put("event", Items.s(event.id()));
            item.put("ref", Items.s(partition));
            item.put("seq", Items.n(event.seq()));
            Items.put(item, "principal", principal);
            pending.add(new Pending(item, partition, event.seq(), null, false));
        }
        for (; next < records.size(); next++) {
            if (isTerminal(records.get(next))) {
                terminal = records.get(next);
            }
            else {
                pending.add(recordEntry(partition, sessionId, records.get(next)));
            }
        }
        if (terminal != null) {
            pending.add(recordEntry(partition, sessionId, terminal));
        }
        return pending;
    }

    private static boolean isTerminal(Map<String, AttributeValue> record) {
        return SessionKeys.TERMINAL.equals(Items.string(record, Items.SK));
    }

    private static Pending recordEntry(String partition, String sessionId, Map<String, AttributeValue> record) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("type", record.get("type"));
        item.put("session", Items.s(sessionId));
        item.put("at", record.get("at"));
        Items.put(item, "payload", Items.string(record, "payload"));
        Items.put(item, "principal", Items.string(record, "principal"));
        item.put("ref", Items.s(partition));
        String key = Items.requiredString(record, Items.SK);
        item.put("record", Items.s(key));
        return new Pending(item, partition, 0, key, isTerminal(record));
    }

    /**
     * Writes the entries, in parallel: readers see none of them before {@link #publish}. An entry left above
     * {@code latest} by this or an older generation, or in an older epoch, is overwritten; one of a newer
     * generation means the lease is gone.
     */
    private boolean writeEntries(List<Pending> pending, String epoch) {
        long generation = this.generation;
        return inParallel(pending.stream().<Supplier<Boolean>>map((entry) -> () -> this.requests.put(this.events,
                entry.item(), "attribute_not_exists(#pk) OR #generation <= :generation OR #epoch <> :epoch",
                Map.of(":generation", Items.n(generation), ":epoch", Items.s(epoch))))
            .toList()).stream().allMatch(Boolean::booleanValue);
    }

    /** Runs the requests on the feed's writers, in parallel; their results in order. */
    private <T> List<T> inParallel(List<Supplier<T>> tasks) {
        List<CompletableFuture<T>> running = tasks.stream()
            .map((task) -> CompletableFuture.supplyAsync(task, this.writers))
            .toList();
        return running.stream().map(DynamoDbFeed::await).toList();
    }

    /** The result of a request run on the writers, its failure as the caller's. */
    private static <T> T await(CompletableFuture<T> request) {
        try {
            return request.join();
        }
        catch (CompletionException ex) {
            if (ex.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw ex;
        }
    }

    private boolean publish(long latest, long seq) {
        return this.requests.update(this.sessions, SessionKeys.meta(META), "SET #latest = :seq",
                "#latest = :latest AND #owner = :owner AND #generation = :generation",
                Map.of(":seq", Items.n(seq), ":latest", Items.n(latest), ":owner", Items.s(this.owner),
                        ":generation", Items.n(this.generation))) != null;
    }

    private void moveCursors(Map<String, Cursor> moved) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        moved.forEach((partition, cursor) -> {
            Map<String, AttributeValue> item = Items.item(SessionKeys.fed(partition));
            item.put("through", Items.n(cursor.through()));
            item.put("closed", Items.bool(cursor.closed()));
            items.add(item);
        });
        this.requests.batchPut(this.sessions, items);
    }

    private void checkpoint(long seq) {
        this.requests.update(this.sessions, SessionKeys.meta(META), "SET #checkpoint = :seq",
                "#owner = :owner AND #generation = :generation", Map.of(":seq", Items.n(seq), ":owner",
                        Items.s(this.owner), ":generation", Items.n(this.generation)));
    }

    /** Moves the cursors past published entries whose round ended before it could (a crash, a lost lease). */
    private void repair(long checkpoint, long latest) {
        Map<String, Cursor> cursors = new LinkedHashMap<>();
        List<Map<String, AttributeValue>> records = new ArrayList<>();
        for (Map<String, AttributeValue> item : this.requests.queryAll(this.events,
                "#pk = :pk AND #sk BETWEEN :from AND :to", Map.of(":pk", Items.s(SessionKeys.FEED), ":from",
                        Items.n(checkpoint + 1), ":to", Items.n(latest)), true)) {
            String partition = Items.requiredString(item, "ref");
            Cursor cursor = cursors.computeIfAbsent(partition, this::cursor);
            String record = Items.string(item, "record");
            if (record != null) {
                records.add(Items.key(partition, record));
            }
            cursors.put(partition, new Cursor(Math.max(cursor.through(), Items.number(item, "seq", 0)),
                    cursor.closed() || SessionKeys.TERMINAL.equals(record)));
        }
        moveCursors(cursors);
        this.requests.batchDelete(this.sessions, records);
        checkpoint(latest);
        logger.log(Level.DEBUG, "Repaired feed cursors from " + checkpoint + " to " + latest);
    }

    /** Holds the sequencer's lease: renews it, or takes it when it is free or has lapsed. */
    private boolean holdLease(Map<String, AttributeValue> meta) {
        long now = this.clock.millis();
        long until = now + this.lease.toMillis();
        if (this.owner.equals(Items.string(meta, "owner"))) {
            // Ours, also after a round that ended half-way: nobody else can hold this owner's generation.
            this.generation = Items.number(meta, "generation", 0);
            if (Items.number(meta, "until", 0) - now > this.lease.toMillis() / 2) {
                return true;
            }
            return this.requests.update(this.sessions, SessionKeys.meta(META), "SET #until = :until",
                    "#owner = :owner AND #generation = :generation", Map.of(":until", Items.n(until), ":owner",
                            Items.s(this.owner), ":generation", Items.n(this.generation))) != null;
        }
        if (Items.string(meta, "owner") != null && Items.number(meta, "until", 0) >= now) {
            return false;
        }
        Map<String, AttributeValue> taken = this.requests.update(this.sessions, SessionKeys.meta(META),
                "SET #owner = :owner, #until = :until ADD #generation :one",
                "#generation = :generation", Map.of(":owner", Items.s(this.owner), ":until", Items.n(until), ":one",
                        Items.n(1), ":generation", Items.n(Items.number(meta, "generation", 0))));
        if (taken == null) {
            return false;
        }
        this.generation = Items.number(taken, "generation", 0);
        // A new holder repairs from the checkpoint whatever the last one left.
        long latest = Items.number(taken, "latest", 0);
        long checkpoint = Items.number(taken, "checkpoint", 0);
        if (checkpoint < latest) {
            repair(checkpoint, latest);
        }
        return true;
    }

    /** Gives the lease up, so that another instance sequences at once. */
    synchronized void release() {
        if (this.generation >= 0) {
            this.requests.update(this.sessions, SessionKeys.meta(META), "REMOVE #owner, #until",
                    "#owner = :owner AND #generation = :generation",
                    Map.of(":owner", Items.s(this.owner), ":generation", Items.n(this.generation)));
            this.generation = -1;
            this.held = null;
        }
    }

    // Retention

    /**
     * Removes the entries beyond {@code max-entries} and those older than the feed's TTL: the floor moves first,
     * so readers never see a hole, then the items go.
     * @return how many entries left the retained window
     */
    long trim(Instant now) {
        if (!this.enabled) {
            return 0;
        }
        Map<String, AttributeValue> meta = meta();
        long latest = Items.number(meta, "latest", 0);
        long floor = Items.number(meta, "floor", 1);
        long target = Math.max(floor, latest - this.maxEntries + 1);
        long cutoff = now.minus(this.ttl).toEpochMilli();
        long byAge = floor;
        Map<String, AttributeValue> start = null;
        scan: while (byAge <= latest) {
            QueryResponse page = this.requests.query(this.events, "#pk = :pk AND #sk BETWEEN :from AND :to",
                    Map.of(":pk", Items.s(SessionKeys.FEED), ":from", Items.n(floor), ":to", Items.n(latest)), true,
                    100, start);
            for (Map<String, AttributeValue> item : page.items()) {
                if (Items.number(item, "at", 0) >= cutoff) {
                    break scan;
                }
                byAge = Items.number(item, Items.SK, 0) + 1;
            }
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
            if (start == null || start.isEmpty()) {
                break;
            }
        }
        target = Math.min(latest + 1, Math.max(target, byAge));
        if (target <= floor) {
            return 0;
        }
        if (this.requests.update(this.sessions, SessionKeys.meta(META), "SET #floor = :target", "#floor < :target",
                Map.of(":target", Items.n(target))) == null) {
            return 0;
        }
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (long seq = floor; seq < target; seq++) {
            keys.add(Items.key(SessionKeys.FEED, seq));
        }
        this.requests.batchDelete(this.events, keys);
        return target - floor;
    }

}
