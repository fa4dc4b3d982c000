package io.mcpsession.dynamodb;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import io.mcpsession.core.CloseReason;
import io.mcpsession.store.SweepResult;

/**
 * The coordinated sweep: one instance at a time (a lease on a meta item, timed by the store's clock) expires idle
 * sessions, moves each log's floor past events beyond retention and removes their items, empties the partitions
 * of removed sessions once the feed has numbered them, and trims the feed. Every removal moves a floor or deletes
 * a head first, so readers see the outcome at once and never a hole; TTL attributes only back the sweeper up.
 */
final class StoreSweep {

    private static final int PAGE = 100;

    private static final int TRASH_PER_SWEEP = 25;

    private final DynamoDbSessionStore store;

    private final Requests requests;

    private final String sessions;

    private final Duration lease;

    private final String owner = UUID.randomUUID().toString();

    StoreSweep(DynamoDbSessionStore store, Duration lease) {
        this.store = store;
        this.requests = store.requests();
        this.sessions = store.tables().sessions;
        this.lease = lease;
    }

    synchronized SweepResult sweep(Instant now) {
        if (!holdLease(now)) {
            return SweepResult.EMPTY;
        }
        long expired = expireSessions(now);
        long evicted = retainEvents(now);
        emptyTrash();
        long feedEvicted = this.store.feed().trim(now);
        return new SweepResult(expired, evicted, feedEvicted);
    }

    private boolean holdLease(Instant now) {
        return this.requests.update(this.sessions, SessionKeys.meta("sweep"), "SET #owner = :owner, #until = :until",
                "attribute_not_exists(#owner) OR #owner = :owner OR #until < :now",
                Map.of(":owner", Items.s(this.owner), ":until", Items.n(now.plus(this.lease).toEpochMilli()), ":now",
                        Items.n(now.toEpochMilli()))) != null;
    }

    void release() {
        this.requests.update(this.sessions, SessionKeys.meta("sweep"), "REMOVE #owner, #until", "#owner = :owner",
                Map.of(":owner", Items.s(this.owner)));
    }

    /** Ends every session idle past its timeout; the conditional delete of its head decides, once. */
    long expireSessions(Instant now) {
        long expired = 0;
        for (SessionHead head : heads()) {
            if (!head.isExpired(now)) {
                continue;
            }
            Map<String, AttributeValue> old = this.requests.delete(this.sessions, SessionKeys.head(head.session().id()),
                    "#epoch = :epoch AND #expires < :now",
                    Map.of(":epoch", Items.s(head.epoch()), ":now", Items.n(now.toEpochMilli())));
            SessionHead removed = (old != null) ? SessionHead.of(old) : null;
            if (removed != null) {
                this.store.removed(removed, CloseReason.EXPIRED, now);
                expired++;
            }
        }
        return expired;
    }

    /** Applies the count and age limits to every live session's log. */
    private long retainEvents(Instant now) {
        long evicted = 0;
        for (SessionHead head : heads()) {
            if (!head.isExpired(now)) {
                evicted += retain(head, now);
            }
        }
        return evicted;
    }

    private long retain(SessionHead head, Instant now) {
        String partition = head.partition();
        String sessionId = head.session().id();
        long numbered = this.store.feed().cursor(partition).through();
        long latest = this.store.logs().latest(partition, numbered);
        long floor = head.floor();
        long byCount = latest - this.store.settings().maxEventsPerSession() + 1;
        // By age from each append's own time, not from its producer's.
        long byAge = this.store.logs().firstAppendedSince(partition, floor, latest,
                now.minus(this.store.settings().eventTtl()));
        long target = Math.min(latest + 1, Math.max(floor, Math.max(byCount, byAge)));
        long evicted = 0;
        if (target > floor && this.store.raiseFloor(head, target)) {
            evicted = target - floor;
            floor = target;
        }
        // Items go once below the floor and numbered (their claims written); the newest stays, as the counter.
        this.requests.batchDelete(this.store.tables().events, this.store.logs().removable(partition, floor, numbered));
        return evicted;
    }

    /** Removes the data of removed sessions whose feed entries are all numbered. */
    private void emptyTrash() {
        QueryResponse trash = this.requests.query(this.sessions, "#pk = :pk", Map.of(":pk", Items.s("x#trash")), true,
                TRASH_PER_SWEEP, null);
        for (Map<String, AttributeValue> item : trash.items()) {
            String partition = Items.requiredString(item, Items.SK);
            if (this.store.feed().enabled() && !this.store.feed().cursor(partition).closed()) {
                continue;
            }
            this.requests.batchDelete(this.store.tables().events, this.store.logs().allKeys(partition));
            this.requests.batchDelete(this.sessions, this.requests.queryAll(this.sessions, "#pk = :pk",
                    Map.of(":pk", Items.s(partition)), true)
                .stream()
                .map((entry) -> Items.key(partition, Items.requiredString(entry, Items.SK)))
                .toList());
            this.requests.delete(this.sessions, SessionKeys.trash(partition), null, Map.of());
        }
    }

    /** The heads of the listed sessions, in list order. */
    private List<SessionHead> heads() {
        List<SessionHead> heads = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = this.requests.query(this.sessions, "#pk = :pk",
                    Map.of(":pk", Items.s(SessionKeys.listOf(true, null))), true, PAGE, start);
            for (Map<String, AttributeValue> item : this.requests.batchGet(this.sessions, page.items()
                .stream()
                .map((entry) -> SessionKeys.head(SessionKeys.sessionOfListEntry(Items.requiredString(entry, Items.SK))))
                .toList())) {
                heads.add(SessionHead.of(item));
            }
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
        }
        while (start != null && !start.isEmpty());
        return heads;
    }

}
