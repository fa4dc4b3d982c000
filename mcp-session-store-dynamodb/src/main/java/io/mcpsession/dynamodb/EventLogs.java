package io.mcpsession.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import io.mcpsession.core.EventRecord;

/**
 * The event logs in the events table. A log item holds one or more contiguous events (one append, or one whole
 * batch) under the seq of its first event; an append puts its item at {@code latest + 1} with
 * {@code attribute_not_exists}, so the log itself is the counter and one put is the whole commit.
 */
final class EventLogs {

    /** The largest log item the store writes, below DynamoDB's 400 KB with room for names and numbers. */
    static final int MAX_ITEM_BYTES = 380 * 1024;

    private static final int PAGE = 100;

    private final Requests requests;

    private final String table;

    private final Duration eventTtl;

    EventLogs(Requests requests, String table, Duration eventTtl) {
        this.requests = requests;
        this.table = table;
        this.eventTtl = eventTtl;
    }

    /** A log item of {@code events}, which follow each other from its sort key on. */
    Map<String, AttributeValue> item(String partition, List<EventRecord> events, Instant now) {
        Map<String, AttributeValue> item = Items.item(Items.key(partition, events.get(0).seq()));
        item.put("count", Items.n(events.size()));
        List<AttributeValue> list = new ArrayList<>(events.size());
        long bytes = partition.length() + 64;
        for (EventRecord event : events) {
            Map<String, AttributeValue> member = new HashMap<>();
            member.put("id", Items.s(event.id()));
            member.put("type", Items.s(event.type()));
            member.put("data", Items.s(event.data()));
            Items.put(member, "run", event.runId());
            member.put("meta", Items.s(event.metadata()));
            member.put("at", Items.n(event.timestamp().toEpochMilli()));
            list.add(AttributeValue.fromM(member));
            bytes += 64 + utf8(event.id()) + utf8(event.type()) + utf8(event.data()) + utf8(event.metadata())
                    + ((event.runId() != null) ? utf8(event.runId()) : 0);
        }
        if (bytes > MAX_ITEM_BYTES) {
            throw new ItemTooLargeException();
        }
        item.put("events", AttributeValue.fromL(list));
        // The append's own time, by the store's clock: retention by age and the feed entry count from it, while
        // each event keeps its producer's time.
        item.put("appended", Items.n(now.toEpochMilli()));
        item.put(Items.TTL, Items.n(DynamoDbTables.ttl(now.plus(this.eventTtl))));
        return item;
    }

    /** Thrown when an append does not fit one log item. */
    static final class ItemTooLargeException extends RuntimeException {

        ItemTooLargeException() {
            super(null, null, false, false);
        }

    }

    /** Puts a log item where none is; false when another append took that seq first. */
    boolean put(Map<String, AttributeValue> item) {
        return this.requests.put(this.table, item, "attribute_not_exists(#pk)", Map.of());
    }

    /** The events of a log item. */
    static List<EventRecord> events(Map<String, AttributeValue> item, String sessionId, String epoch) {
        long first = Items.number(item, Items.SK, 0);
        AttributeValue list = item.get("events");
        if (list == null || !list.hasL()) {
            return List.of();
        }
        List<EventRecord> events = new ArrayList<>(list.l().size());
        long seq = first;
        for (AttributeValue value : list.l()) {
            Map<String, AttributeValue> member = value.m();
            events.add(new EventRecord(sessionId, seq++, Items.requiredString(member, "id"),
                    Items.requiredString(member, "type"), Items.requiredString(member, "data"),
                    Items.string(member, "run"), Items.requiredString(member, "meta"),
                    Instant.ofEpochMilli(Items.number(member, "at", 0)), epoch));
        }
        return events;
    }

    /** When a log item was appended (items written before producers' times were kept: its events' time). */
    static Instant appendedAt(Map<String, AttributeValue> item) {
        AttributeValue appended = item.get("appended");
        if (appended != null && appended.n() != null) {
            return Instant.ofEpochMilli(Long.parseLong(appended.n()));
        }
        List<EventRecord> events = events(item, "", "");
        return events.isEmpty() ? Instant.EPOCH : events.get(0).timestamp();
    }

    /** The seq of the last event of a log item. */
    static long lastSeq(Map<String, AttributeValue> item) {
        return Items.number(item, Items.SK, 0) + Items.number(item, "count", 1) - 1;
    }

    /** The latest seq of a log whose events up to {@code numbered} the feed has seen (some may be gone since). */
    long latest(String partition, long numbered) {
        QueryResponse top = this.requests.query(this.table, "#pk = :pk", Map.of(":pk", Items.s(partition)), false, 1,
                null);
        return top.items().isEmpty() ? numbered : Math.max(numbered, lastSeq(top.items().get(0)));
    }

    /** The log items after {@code numbered}, newest first: the window not yet numbered into the feed. */
    List<Map<String, AttributeValue>> window(String partition, long numbered) {
        return this.requests.queryAll(this.table, "#pk = :pk AND #sk > :after",
                Map.of(":pk", Items.s(partition), ":after", Items.n(numbered)), false);
    }

    /** The newest log item after {@code after}, if any. */
    List<Map<String, AttributeValue>> tail(String partition, long after) {
        return this.requests.query(this.table, "#pk = :pk AND #sk > :after",
                Map.of(":pk", Items.s(partition), ":after", Items.n(after)), false, 1, null).items();
    }

    /** The log items after {@code numbered}, oldest first. */
    List<Map<String, AttributeValue>> itemsAfter(String partition, long numbered) {
        return this.requests.queryAll(this.table, "#pk = :pk AND #sk > :after",
                Map.of(":pk", Items.s(partition), ":after", Items.n(numbered)), true);
    }

    /** The event at {@code seq}, if still stored. */
    @Nullable EventRecord eventAt(String partition, String sessionId, String epoch, long seq) {
        QueryResponse page = this.requests.query(this.table, "#pk = :pk AND #sk <= :seq",
                Map.of(":pk", Items.s(partition), ":seq", Items.n(seq)), false, 1, null);
        for (Map<String, AttributeValue> item : page.items()) {
            for (EventRecord event : events(item, sessionId, epoch)) {
                if (event.seq() == seq) {
                    return event;
                }
            }
        }
        return null;
    }

    /**
     * Visits the stored events from {@code from} to {@code to}, oldest first, until the visitor says stop.
     */
    void visit(String partition, String sessionId, String epoch, long from, long to, Predicate<EventRecord> visitor) {
        visitItems(partition, from, to, (item) -> {
            for (EventRecord event : events(item, sessionId, epoch)) {
                if (event.seq() >= from && event.seq() <= to && !visitor.test(event)) {
                    return false;
                }
            }
            return true;
        });
    }

    /** The first seq from {@code from} on whose append was at or after {@code cutoff}; {@code to + 1} if none. */
    long firstAppendedSince(String partition, long from, long to, Instant cutoff) {
        long[] first = { to + 1 };
        visitItems(partition, from, to, (item) -> {
            if (!appendedAt(item).isBefore(cutoff)) {
                first[0] = Math.max(from, Items.number(item, Items.SK, 0));
                return false;
            }
            return true;
        });
        return first[0];
    }

    /** Visits the log items that hold events from {@code from} to {@code to}, oldest first, until told to stop. */
    private void visitItems(String partition, long from, long to, Predicate<Map<String, AttributeValue>> visitor) {
        if (from > to) {
            return;
        }
        QueryResponse first = this.requests.query(this.table, "#pk = :pk AND #sk <= :from",
                Map.of(":pk", Items.s(partition), ":from", Items.n(from)), false, 1, null);
        for (Map<String, AttributeValue> item : first.items()) {
            if (lastSeq(item) >= from && !visitor.test(item)) {
                return;
            }
        }
        if (from == to) {
            return;
        }
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = this.requests.query(this.table, "#pk = :pk AND #sk BETWEEN :from AND :to",
                    Map.of(":pk", Items.s(partition), ":from", Items.n(from + 1), ":to", Items.n(to)), true, PAGE,
                    start);
            for (Map<String, AttributeValue> item : page.items()) {
                if (!visitor.test(item)) {
                    return;
                }
            }
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
        }
        while (start != null && !start.isEmpty());
    }

    /** The keys of the log items that end below {@code floor} and at or below {@code numbered}, but the newest. */
    List<Map<String, AttributeValue>> removable(String partition, long floor, long numbered) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        long newest = latestItemStart(partition);
        for (Map<String, AttributeValue> item : this.requests.queryAll(this.table, "#pk = :pk AND #sk < :floor",
                Map.of(":pk", Items.s(partition), ":floor", Items.n(floor)), true)) {
            long start = Items.number(item, Items.SK, 0);
            long last = lastSeq(item);
            if (last < floor && last <= numbered && start != newest) {
                keys.add(Items.key(partition, start));
            }
        }
        return keys;
    }

    private long latestItemStart(String partition) {
        QueryResponse top = this.requests.query(this.table, "#pk = :pk", Map.of(":pk", Items.s(partition)), false, 1,
                null);
        return top.items().isEmpty() ? -1 : Items.number(top.items().get(0), Items.SK, 0);
    }

    /** The keys of every item of a partition (to remove a session's log). */
    List<Map<String, AttributeValue>> allKeys(String partition) {
        return this.requests.queryAll(this.table, "#pk = :pk", Map.of(":pk", Items.s(partition)), true)
            .stream()
            .map((item) -> Items.key(partition, Items.number(item, Items.SK, 0)))
            .toList();
    }

    private static long utf8(String text) {
        return io.mcpsession.core.JsonText.utf8Length(text);
    }

}
