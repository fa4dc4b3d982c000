package io.mcpsession.store.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.EventRecord;
import io.mcpsession.core.Epochs;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.PageBudget;
import io.mcpsession.core.ReadPlan;
import io.mcpsession.core.Session;
import io.mcpsession.store.ListenerRegistry;

/**
 * The global feed of the in-memory store. Writers never wait for each other here: a change is queued under its
 * session's lock (so one session's changes keep their order), and whoever finds the sequencer free numbers every
 * queued change after the fact. Readers only see numbered entries, so the feed is gap-free in commit order.
 */
final class FeedLog {

    private record Pending(FeedEntryType type, String sessionId, Instant timestamp, @Nullable EventRecord event,
            @Nullable Session session, @Nullable String principal) {
    }

    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();

    private final ReentrantLock sequencer = new ReentrantLock();

    private final RingBuffer<FeedEntry> entries = new RingBuffer<>();

    private final String epoch = Epochs.next();

    private final boolean enabled;

    private final long maxEntries;

    private final long maxPageBytes;

    private final ListenerRegistry listeners;

    private long latest;

    FeedLog(boolean enabled, long maxEntries, long maxPageBytes, ListenerRegistry listeners) {
        this.enabled = enabled;
        this.maxEntries = maxEntries;
        this.maxPageBytes = maxPageBytes;
        this.listeners = listeners;
    }

    /** Queues a change; the caller holds the lock of the change's session. */
    void enqueue(FeedEntryType type, String sessionId, Instant timestamp, @Nullable EventRecord event,
            @Nullable Session session, @Nullable String principal) {
        if (this.enabled) {
            this.pending.add(new Pending(type, sessionId, timestamp, event, session, principal));
        }
    }

    /** Numbers queued changes unless another thread is doing it; call after releasing the session's lock. */
    void publish() {
        while (!this.pending.isEmpty() && this.sequencer.tryLock()) {
            long latest;
            try {
                Pending change;
                while ((change = this.pending.poll()) != null) {
                    this.entries.addLast(new FeedEntry(++this.latest, change.type(), change.sessionId(),
                            change.timestamp(), this.epoch, change.event(), change.session(), change.principal()));
                }
                while (this.entries.size() > this.maxEntries) {
                    this.entries.removeFirst();
                }
                latest = this.latest;
            }
            finally {
                this.sequencer.unlock();
            }
            this.listeners.feedAdvanced(latest);
        }
    }

    FeedPage read(FeedQuery query) {
        publish();
        this.sequencer.lock();
        try {
            LogPosition position = position();
            ReadPlan plan = ReadPlan.of(query.after(), query.epoch(), null, position);
            List<FeedEntry> page = new ArrayList<>(Math.min(query.limit(), 16));
            PageBudget budget = new PageBudget(this.maxPageBytes);
            long first = Math.max(plan.after() + 1, position.earliestRetained());
            for (long seq = first; seq <= plan.upTo() && page.size() < query.limit(); seq++) {
                FeedEntry entry = this.entries.get((int) (seq - position.earliestRetained()));
                if (query.matches(entry)) {
                    if (!budget.take(PageBudget.bytesOf(entry))) {
                        break;
                    }
                    page.add(entry);
                }
            }
            return plan.feedPage(position, page, query.limit(), budget.cut());
        }
        finally {
            this.sequencer.unlock();
        }
    }

    /** Evicts entries recorded before {@code cutoff}; returns how many. */
    int evictOlderThan(Instant cutoff) {
        publish();
        this.sequencer.lock();
        try {
            int evicted = 0;
            while (!this.entries.isEmpty() && this.entries.get(0).timestamp().isBefore(cutoff)) {
                this.entries.removeFirst();
                evicted++;
            }
            return evicted;
        }
        finally {
            this.sequencer.unlock();
        }
    }

    private LogPosition position() {
        return new LogPosition(this.latest, this.latest - this.entries.size() + 1, this.epoch);
    }

}
