package io.mcpsession.store.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.PageBudget;
import io.mcpsession.core.ReadPlan;

/**
 * One session's retained events: a contiguous run of seqs, oldest first, with an index by event id.
 * Not thread-safe: the owning {@link SessionEntry}'s lock guards it.
 */
final class EventLog {

    private final RingBuffer<EventRecord> events = new RingBuffer<>();

    /**
     * When each retained event was appended, by the store's clock, parallel to {@link #events}: the TTL counts
     * from there, as an event's timestamp may be its producer's (older, or out of order).
     */
    private final RingBuffer<Instant> appendedAt = new RingBuffer<>();

    private long latest;

    private final Map<String, EventRecord> byId = new HashMap<>();

    long latest() {
        return this.latest;
    }

    int size() {
        return this.events.size();
    }

    /** The lowest retained seq; the retained seqs are always {@code earliestRetained()..latest}. */
    long earliestRetained() {
        return this.latest - this.events.size() + 1;
    }

    LogPosition position(String epoch) {
        return new LogPosition(this.latest, earliestRetained(), epoch);
    }

    @Nullable EventRecord findById(String id) {
        return this.byId.get(id);
    }

    /** Adds the event with seq {@code latest() + 1}, appended at {@code appendedAt}. */
    void add(EventRecord event, Instant appendedAt) {
        this.events.addLast(event);
        this.appendedAt.addLast(appendedAt);
        this.latest = event.seq();
        this.byId.put(event.id(), event);
    }

    /** Evicts events while more than {@code max} are retained; returns how many. */
    int evictBeyond(int max) {
        int evicted = 0;
        while (this.events.size() > max) {
            evictOldest();
            evicted++;
        }
        return evicted;
    }

    /** Evicts events with {@code seq < before}; returns how many. */
    int evictBefore(long before) {
        int evicted = 0;
        while (!this.events.isEmpty() && this.events.get(0).seq() < before) {
            evictOldest();
            evicted++;
        }
        return evicted;
    }

    /** Evicts events appended before {@code cutoff}; returns how many. */
    int evictOlderThan(Instant cutoff) {
        int evicted = 0;
        while (!this.events.isEmpty() && this.appendedAt.get(0).isBefore(cutoff)) {
            evictOldest();
            evicted++;
        }
        return evicted;
    }

    /** The events of a read that follows {@code plan}, as many as {@code budget} takes. */
    List<EventRecord> read(ReadPlan plan, EventQuery query, PageBudget budget) {
        List<EventRecord> events = new ArrayList<>(Math.min(query.limit(), 16));
        long first = Math.max(plan.after() + 1, earliestRetained());
        for (long seq = first; seq <= plan.upTo() && events.size() < query.limit(); seq++) {
            EventRecord event = this.events.get((int) (seq - earliestRetained()));
            if (query.matches(event)) {
                if (!budget.take(PageBudget.bytesOf(event))) {
                    break;
                }
                events.add(event);
            }
        }
        return events;
    }

    private void evictOldest() {
        EventRecord oldest = this.events.removeFirst();
        this.appendedAt.removeFirst();
        this.byId.remove(oldest.id(), oldest);
    }

}
