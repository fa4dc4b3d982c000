package io.mcpsession.redis;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.ReadPlan;
import io.mcpsession.core.Timestamps;
import io.mcpsession.core.Uuid7;
import io.mcpsession.store.OverflowPolicy;
import io.mcpsession.store.StoreSettings;

/**
 * The sessions' event logs: appends ({@code append.lua}, {@code append_batch.lua}), reads ({@code read.lua})
 * planned by {@link ReadPlan}, and explicit trimming.
 */
final class RedisEventLog {

    /** A read whose plan moved under it (eviction, a new epoch) is read again; this many times at most. */
    private static final int READ_ATTEMPTS = 10;

    private final SessionScripts scripts;

    private final StoreSettings settings;

    private final Fanout listeners;

    private final FeedSequencer sequencer;

    private final Clock clock;

    RedisEventLog(SessionScripts scripts, StoreSettings settings, Fanout listeners, FeedSequencer sequencer,
            Clock clock) {
        this.scripts = scripts;
        this.settings = settings;
        this.listeners = listeners;
        this.sequencer = sequencer;
        this.clock = clock;
    }

    List<AppendResult> appendAll(String sessionId, List<NewEvent> events) {
        List<NewEvent> checked = checkBatch(events);
        Instant now = Timestamps.now(this.clock);
        List<String> args = new ArrayList<>(2 + checked.size() * 6);
        args.add(Integer.toString(this.settings.maxEventsPerSession()));
        args.add((this.settings.overflow() == OverflowPolicy.REJECT) ? "1" : "0");
        List<String> ids = new ArrayList<>(checked.size());
        for (NewEvent event : checked) {
            String id = (event.id() != null) ? event.id() : Uuid7.fast(now);
            ids.add(id);
            args.add(id);
            args.add(event.typeOrDefault());
            args.add(event.data());
            args.add(RedisRecords.orEmpty(event.runId()));
            args.add(event.metadataOrEmpty());
            args.add(Long.toString(event.timestampOr(now).toEpochMilli()));
        }
        ScriptReply reply = this.scripts.run((checked.size() == 1) ? RedisScripts.APPEND : RedisScripts.APPEND_BATCH,
                sessionId, now, args);
        switch (reply.status()) {
            case "missing" -> throw McpSessionException.sessionNotFound(sessionId);
            case "full" -> throw new McpSessionException(ErrorCode.MAX_EVENTS_REACHED, "Session '" + sessionId
                    + "' holds its maximum of " + this.settings.maxEventsPerSession() + " events");
            default -> {
            }
        }
        reply.afterStatus();
        String epoch = reply.next();
        long latest = reply.nextLong();
        List<AppendResult> results = new ArrayList<>(checked.size());
        List<EventRecord> appended = new ArrayList<>(checked.size());
        for (int i = 0; i < checked.size(); i++) {
            if (reply.next().equals("d")) {
                results.add(new AppendResult(RedisRecords.event(sessionId, epoch, reply), true));
                continue;
            }
            NewEvent event = checked.get(i);
            EventRecord record = new EventRecord(sessionId, reply.nextLong(), ids.get(i), event.typeOrDefault(),
                    event.data(), event.runId(), event.metadataOrEmpty(), event.timestampOr(now), epoch);
            appended.add(record);
            results.add(new AppendResult(record, false));
        }
        if (!appended.isEmpty()) {
            if (this.settings.feedEnabled()) {
                this.sequencer.changed(sessionId);
            }
            this.listeners.appended(sessionId, latest, appended);
        }
        return results;
    }

    EventPage read(String sessionId, EventQuery query) {
        long from = query.after();
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            ScriptReply reply = this.scripts.run(RedisScripts.READ, sessionId, Timestamps.now(this.clock),
                    Long.toString(from), (query.before() != null) ? Long.toString(query.before() - 1) : "",
                    Integer.toString(query.limit()), RedisRecords.orEmpty(query.type()),
                    RedisRecords.orEmpty(query.runId()),
                    (query.since() != null) ? Long.toString(query.since().toEpochMilli()) : "",
                    Long.toString(this.settings.maxPageBytes()));
            if (reply.status().equals("missing")) {
                throw McpSessionException.sessionNotFound(sessionId);
            }
            reply.afterStatus();
            String epoch = reply.next();
            long latest = reply.nextLong();
            LogPosition position = new LogPosition(latest, reply.nextLong(), epoch);
            boolean cut = reply.next().equals("1");
            ReadPlan plan = ReadPlan.of(query, position);
            // The script read after max(from, earliestRetained - 1): right unless the plan starts elsewhere.
            if (plan.after() != Math.max(from, position.earliestRetained() - 1)) {
                from = plan.after();
                continue;
            }
            List<EventRecord> events = new ArrayList<>();
            while (reply.hasNext()) {
                events.add(RedisRecords.event(sessionId, position.epoch(), reply));
            }
            return plan.page(sessionId, position, events, query.limit(), cut);
        }
        throw new IllegalStateException("The log of session '" + sessionId + "' kept moving under the read");
    }

    void deleteBefore(String sessionId, long before) {
        if (before < 1) {
            throw McpSessionException.invalidRequest("'before' must be at least 1");
        }
        ScriptReply reply = this.scripts.run(RedisScripts.DELETE_BEFORE, sessionId, Timestamps.now(this.clock),
                Long.toString(before));
        if (reply.status().equals("missing")) {
            throw McpSessionException.sessionNotFound(sessionId);
        }
    }

    private List<NewEvent> checkBatch(List<NewEvent> events) {
        if (events.isEmpty()) {
            throw McpSessionException.invalidRequest("A batch holds at least one event");
        }
        List<NewEvent> checked = new ArrayList<>(events.size());
        for (NewEvent event : events) {
            if (event.ephemeral()) {
                throw McpSessionException.invalidRequest("Ephemeral events are published, not appended");
            }
            checked.add(this.settings.checkEvent(event));
        }
        return checked;
    }

}
