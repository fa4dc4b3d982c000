package io.mcpsession.nats;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.PageBudget;
import io.mcpsession.core.ReadPlan;
import io.mcpsession.core.Session;
import io.mcpsession.core.Uuid7;
import io.mcpsession.nats.LogMessage.Kind;
import io.mcpsession.store.StoreSettings;
import io.nats.client.JetStreamApiException;
import io.nats.client.PurgeOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;

/**
 * The sessions' event logs in the events stream. Each incarnation of a session has its own subject; every
 * message on it is published with the expected-last-subject-sequence guard, so the subject's messages form one
 * order that no two writers (threads or instances) can fork: a writer that lost the race reads what it missed and
 * tries again. The events of one append travel in one message, so a batch is atomic and contiguous.
 * <p>
 * Idempotency holds for as long as an event is retained, beyond JetStream's duplicate window: each instance
 * knows the ids of the messages it has read of a log, and a publish only succeeds when nothing was committed
 * after the last message it read, so the ids it checked were all the ids there were.
 */
final class NatsEventLog {

    private static final String EXPECTED_LAST_SUBJECT_SEQUENCE = "Nats-Expected-Last-Subject-Sequence";

    /** Logs whose ids and message index this instance keeps; a forgotten one is read again when next used. */
    private static final int CACHED_LOGS = 128;

    /** Messages one sweep reads of one log to apply the TTL: retention moves on in bounded batches. */
    private static final int TRIM_BATCH = 1000;

    /** A guarded publish retries this often before the store calls itself unavailable (a live-lock guard). */
    private static final int MAX_ATTEMPTS = 10_000;

    private final NatsSpace space;

    private final StoreSettings settings;

    private final Map<String, LogCache> caches = new LinkedHashMap<>(64, 0.75f, true) {

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, LogCache> eldest) {
            return size() > CACHED_LOGS;
        }

    };

    NatsEventLog(NatsSpace space, StoreSettings settings) {
        this.space = space;
        this.settings = settings;
    }

    /** What one append stored. */
    record Appended(List<AppendResult> results, List<EventRecord> created, long latest) {
    }

    /** What this instance knows of one incarnation of a log, up to {@link #lastStreamSeq}. */
    private static final class LogCache {

        final String subject;

        final String epoch;

        /** The stream seq of the last message read on the subject; -1 before the first read. */
        long lastStreamSeq = -1;

        /** Whether a message may have been committed after {@link #lastStreamSeq}. */
        boolean stale = true;

        long latest;

        boolean closed;

        /** The first event seq of each events message, to its stream seq. */
        final TreeMap<Long, Long> messages = new TreeMap<>();

        final Map<String, Long> ids = new HashMap<>();

        LogCache(String subject, String epoch) {
            this.subject = subject;
            this.epoch = epoch;
        }

        void apply(long streamSeq, LogMessage message) {
            if (message.kind() == Kind.EVENTS) {
                this.messages.put(message.events().get(0).seq(), streamSeq);
                for (EventRecord event : message.events()) {
                    this.ids.put(event.id(), event.seq());
                }
            }
            this.closed |= message.kind().closes();
            this.latest = Math.max(this.latest, message.latest());
            this.lastStreamSeq = streamSeq;
        }

        /** Forgets what retention removed, so an evicted id appends again. */
        void forgetBelow(long floor) {
            this.ids.values().removeIf((seq) -> seq < floor);
            Long keep = this.messages.floorKey(floor);
            if (keep != null) {
                this.messages.headMap(keep, false).clear();
            }
        }

    }

    String subject(String sessionId, SessionRecord record) {
        return this.space.names.logSubject(NatsNames.token(sessionId), record.epoch());
    }

    /** The epoch of a log: its incarnation and the events stream that holds it. */
    String epoch(SessionRecord record) {
        return record.epoch() + "-" + this.space.eventsToken(record.floorToken());
    }

    // Appends

    /**
     * Appends checked events (one message) or returns the originals of duplicates.
     * @param load loads the live session (throws {@code SESSION_NOT_FOUND}); called again after a lost race
     */
    Appended append(String sessionId, List<NewEvent> events, Instant now, SessionLoad load) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            SessionRecord record = load.live();
            String token = this.space.eventsToken(record.floorToken());
            LogCache cache = cacheOf(sessionId, record);
            synchronized (cache) {
                syncIfStale(cache);
                if (cache.closed) {
                    throw McpSessionException.sessionNotFound(sessionId);
                }
                if (cache.lastStreamSeq == 0 && !publishLifecycle(cache, Kind.CREATED, sessionId, record,
                        record.session(), record.session().createdAt())) {
                    continue;
                }
                long floor = record.floorIn(token);
                cache.forgetBelow(floor);
                List<AppendResult> results = new ArrayList<>(events.size());
                List<EventRecord> created = new ArrayList<>(events.size());
                Map<String, EventRecord> batch = new HashMap<>();
                long seq = cache.latest;
                for (NewEvent event : events) {
                    EventRecord original = (event.id() != null) ? batch.get(event.id()) : null;
                    if (original == null && event.id() != null && cache.ids.containsKey(event.id())) {
                        original = eventAt(cache, cache.ids.get(event.id()));
                    }
                    if (original != null) {
                        results.add(new AppendResult(original, true));
                        continue;
                    }
                    EventRecord fresh = new EventRecord(sessionId, ++seq,
                            (event.id() != null) ? event.id() : Uuid7.fast(now), event.typeOrDefault(), event.data(),
                            event.runId(), event.metadataOrEmpty(), event.timestampOr(now), cache.epoch);
                    batch.put(fresh.id(), fresh);
                    created.add(fresh);
                    results.add(new AppendResult(fresh, false));
                }
                if (created.isEmpty()) {
                    return new Appended(results, created, cache.latest);
                }
                long retained = Math.max(0, cache.latest - floor + 1);
                this.settings.requireRoom(sessionId, retained, created.size());
                LogMessage message = new LogMessage(Kind.EVENTS, sessionId, record.principal(), now, seq, created,
                        null);
                if (publish(cache, message)) {
                    return new Appended(results, created, cache.latest);
                }
            }
        }
        throw NatsFailures.unavailable(new IllegalStateException("Appends kept losing races"));
    }

    /** Loads a live session, failing with {@code SESSION_NOT_FOUND}. */
    @FunctionalInterface
    interface SessionLoad {

        SessionRecord live();

    }

    /**
     * Records a lifecycle change in the session's log, after its events (so the feed tells them in order).
     * {@link Kind#CREATED} is written only into an empty log.
     */
    void recordLifecycle(String sessionId, SessionRecord record, Kind kind, @Nullable Session session, Instant now) {
        LogCache cache = cacheOf(sessionId, record);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            synchronized (cache) {
                syncIfStale(cache);
                if (cache.closed || (kind == Kind.CREATED && cache.lastStreamSeq > 0)) {
                    return;
                }
                if (publishLifecycle(cache, kind, sessionId, record, session, now)) {
                    return;
                }
            }
        }
        throw NatsFailures.unavailable(new IllegalStateException("Lifecycle changes kept losing races"));
    }

    private boolean publishLifecycle(LogCache cache, Kind kind, String sessionId, SessionRecord record,
            @Nullable Session session, Instant now) {
        return publish(cache, new LogMessage(kind, sessionId, record.principal(), now, cache.latest, List.of(),
                session));
    }

    /** Publishes under the guard; false (and the cache marked stale) when another writer came first. */
    private boolean publish(LogCache cache, LogMessage message) {
        Headers headers = new Headers().put(EXPECTED_LAST_SUBJECT_SEQUENCE, Long.toString(cache.lastStreamSeq));
        PublishAck ack = NatsFailures.call(() -> {
            try {
                return this.space.js.publish(cache.subject, headers, message.toBytes());
            }
            catch (JetStreamApiException ex) {
                if (NatsFailures.isCode(ex, NatsFailures.WRONG_LAST_SEQUENCE)) {
                    return null;
                }
                throw ex;
            }
        });
        if (ack == null) {
            cache.stale = true;
            return false;
        }
        cache.apply(ack.getSeqno(), message);
        return true;
    }

    // Reads

    /** Reads a page, or returns {@code null} when retention removed a message under the read (read again). */
    @Nullable EventPage read(String sessionId, SessionRecord record, EventQuery query) {
        LogCache cache = cacheOf(sessionId, record);
        long latest;
        NavigableMap<Long, Long> index;
        synchronized (cache) {
            sync(cache);
            if (cache.closed) {
                throw McpSessionException.sessionNotFound(sessionId);
            }
            latest = cache.latest;
            index = new TreeMap<>(cache.messages);
        }
        LogPosition position = position(record, cache.epoch, latest);
        ReadPlan plan = ReadPlan.of(query, position);
        PageBudget budget = this.settings.pageBudget();
        List<EventRecord> events = new ArrayList<>(Math.min(query.limit(), 16));
        long from = Math.max(plan.after() + 1, position.earliestRetained());
        if (from <= plan.upTo()) {
            Long start = index.floorKey(from);
            reading: for (long streamSeq : index.tailMap((start != null) ? start : from, true).values()) {
                LogMessage message = message(streamSeq);
                if (message == null) {
                    return null;
                }
                for (EventRecord event : message.events()) {
                    if (event.seq() < from) {
                        continue;
                    }
                    if (event.seq() > plan.upTo() || events.size() == query.limit()) {
                        break reading;
                    }
                    if (query.matches(event)) {
                        if (!budget.take(PageBudget.bytesOf(event))) {
                            break reading;
                        }
                        events.add(event);
                    }
                }
            }
        }
        return plan.page(sessionId, position, events, query.limit(), budget.cut());
    }

    LogPosition position(String sessionId, SessionRecord record) {
        LogCache cache = cacheOf(sessionId, record);
        synchronized (cache) {
            sync(cache);
            if (cache.closed) {
                throw McpSessionException.sessionNotFound(sessionId);
            }
            return position(record, cache.epoch, cache.latest);
        }
    }

    private LogPosition position(SessionRecord record, String epoch, long latest) {
        long floor = Math.max(1, record.floorIn(this.space.eventsToken()));
        return new LogPosition(latest, Math.min(floor, latest + 1), epoch);
    }

    // Retention

    /** Where retention puts a log's floor now, and below which stream seq its messages may go. */
    record Trim(long floor, long purgeBelow) {
    }

    /**
     * Plans the retention of one log: the floor by count and TTL (in a bounded batch), and the messages wholly
     * below it; the last message always stays (it says where the log stands).
     */
    @Nullable Trim trim(String sessionId, SessionRecord record, Instant now) {
        String subject = subject(sessionId, record);
        MessageInfo last = lastMessage(subject);
        if (last == null) {
            return null;
        }
        long latest = LogMessage.latestOf(last.getData());
        long floor = Math.max(Math.max(1, record.floorIn(this.space.eventsToken())),
                latest - this.settings.maxEventsPerSession() + 1);
        Instant cutoff = now.minus(this.settings.eventTtl());
        long keepFrom = last.getSeq();
        long streamSeq = 1;
        walk: for (int read = 0; read < TRIM_BATCH; read++) {
            MessageInfo next = nextMessage(subject, streamSeq);
            if (next == null || next.getSeq() > last.getSeq()) {
                break;
            }
            LogMessage message = LogMessage.fromBytes(next.getData());
            for (EventRecord event : message.events()) {
                if (event.seq() < floor) {
                    continue;
                }
                // Retention counts from the append (the message's time), not from a producer's own timestamp.
                if (message.timestamp().isBefore(cutoff)) {
                    floor = event.seq() + 1;
                    continue;
                }
                keepFrom = next.getSeq();
                break walk;
            }
            streamSeq = next.getSeq() + 1;
        }
        return new Trim(Math.min(floor, latest + 1), Math.min(keepFrom, last.getSeq()));
    }

    /** Removes the messages of a subject below a stream seq (all of them with {@code Long.MAX_VALUE}). */
    void purge(String subject, long below) {
        PurgeOptions.Builder options = PurgeOptions.builder().subject(subject);
        if (below != Long.MAX_VALUE) {
            options.sequence(below);
        }
        NatsFailures.call(() -> this.space.jsm.purgeStream(this.space.names.eventsStream(), options.build()));
    }

    /** The stream seq of the last message of a subject, or 0. */
    long lastStreamSeq(String subject) {
        MessageInfo last = lastMessage(subject);
        return (last != null) ? last.getSeq() : 0;
    }

    // Reading the stream

    private LogCache cacheOf(String sessionId, SessionRecord record) {
        String subject = subject(sessionId, record);
        String epoch = epoch(record);
        synchronized (this.caches) {
            return this.caches.computeIfAbsent(subject + " " + epoch, (key) -> new LogCache(subject, epoch));
        }
    }

    private void syncIfStale(LogCache cache) {
        if (cache.stale) {
            sync(cache);
        }
    }

    /** Reads what was committed on the subject since the cache last looked. */
    private void sync(LogCache cache) {
        MessageInfo last = lastMessage(cache.subject);
        long lastSeq = (last != null) ? last.getSeq() : 0;
        if (lastSeq < cache.lastStreamSeq || !cache.epoch.endsWith("-" + this.space.eventsToken())) {
            // The stream was recreated under this instance: another history, hence another epoch.
            forget(cache);
            throw new NatsFailures.MissingStream(null);
        }
        long streamSeq = Math.max(cache.lastStreamSeq + 1, 1);
        while (cache.lastStreamSeq < lastSeq) {
            MessageInfo next = nextMessage(cache.subject, streamSeq);
            if (next == null) {
                break;
            }
            cache.apply(next.getSeq(), LogMessage.fromBytes(next.getData()));
            streamSeq = next.getSeq() + 1;
        }
        cache.lastStreamSeq = Math.max(cache.lastStreamSeq, lastSeq);
        cache.stale = false;
    }

    private void forget(LogCache cache) {
        synchronized (this.caches) {
            this.caches.remove(cache.subject + " " + cache.epoch);
        }
    }

    private @Nullable EventRecord eventAt(LogCache cache, long seq) {
        Map.Entry<Long, Long> entry = cache.messages.floorEntry(seq);
        LogMessage message = (entry != null) ? message(entry.getValue()) : null;
        if (message == null) {
            return null;
        }
        return message.events().stream().filter((event) -> event.seq() == seq).findFirst().orElse(null);
    }

    private @Nullable LogMessage message(long streamSeq) {
        MessageInfo info = NatsFailures.call(() -> {
            try {
                return this.space.jsm.getMessage(this.space.names.eventsStream(), streamSeq);
            }
            catch (JetStreamApiException ex) {
                if (NatsFailures.isCode(ex, NatsFailures.NO_MESSAGE)) {
                    return null;
                }
                throw ex;
            }
        });
        return (info != null) ? LogMessage.fromBytes(info.getData()) : null;
    }

    private @Nullable MessageInfo lastMessage(String subject) {
        return NatsFailures.call(() -> {
            try {
                return this.space.jsm.getLastMessage(this.space.names.eventsStream(), subject);
            }
            catch (JetStreamApiException ex) {
                if (NatsFailures.isCode(ex, NatsFailures.NO_MESSAGE)) {
                    return null;
                }
                throw ex;
            }
        });
    }

    private @Nullable MessageInfo nextMessage(String subject, long fromStreamSeq) {
        return NatsFailures.call(() -> {
            try {
                return this.space.jsm.getNextMessage(this.space.names.eventsStream(), fromStreamSeq, subject);
            }
            catch (JetStreamApiException ex) {
                if (NatsFailures.isCode(ex, NatsFailures.NO_MESSAGE)) {
                    return null;
                }
                throw ex;
            }
        });
    }

}
