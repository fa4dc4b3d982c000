package io.mcpsession.jdbc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.NewEvent;

/**
 * Appends to one session from this instance, taking turns in process rather than at the session's row lock, and
 * combined: whoever has the turn writes every batch queued for that session by then in one transaction (flat
 * combining). A database spends an append's time in the commit; a hot session under many callers commits once
 * for all of them instead of once each, and a lone caller writes its own batch as before. Batches keep their
 * arrival order, so seq order is arrival order; each caller gets its own results or its own error. A caller whose
 * batch was written returns at once, without waiting for the turn, and callers wait parked, never spinning.
 */
final class CombinedAppends {

    /** Writes one session's events in one transaction and returns one result per event, in order. */
    @FunctionalInterface
    interface Writer {

        List<AppendResult> write(String sessionId, List<NewEvent> events);

    }

    /** Events written by one transaction at most (beyond it, the rest wait for the next turn). */
    static final int MAX_COMBINED_EVENTS = 256;

    private static final int STRIPES = 64;

    private final Writer writer;

    private final Stripe[] stripes = new Stripe[STRIPES];

    CombinedAppends(Writer writer) {
        this.writer = writer;
        for (int i = 0; i < STRIPES; i++) {
            this.stripes[i] = new Stripe();
        }
    }

    List<AppendResult> append(String sessionId, List<NewEvent> events) {
        Stripe stripe = this.stripes[Math.floorMod(sessionId.hashCode(), STRIPES)];
        Pending mine = new Pending(sessionId, events);
        stripe.queue.add(mine);
        while (!mine.done) {
            if (stripe.turn.tryLock()) {
                try {
                    if (!mine.done) {
                        write(sessionId, stripe.take(sessionId));
                    }
                }
                finally {
                    stripe.turn.unlock();
                }
                // The oldest caller still queued takes the next turn.
                Pending next = stripe.queue.peek();
                if (next != null) {
                    LockSupport.unpark(next.caller);
                }
            }
            else {
                // Woken when a turn wrote this batch, or when a turn ends with this batch first in line.
                LockSupport.park(this);
            }
        }
        if (mine.failure != null) {
            throw mine.failure;
        }
        return mine.results;
    }

    /** How many batches wait for their turn (for tests). */
    int queued() {
        int queued = 0;
        for (Stripe stripe : this.stripes) {
            queued += stripe.queue.size();
        }
        return queued;
    }

    private void write(String sessionId, List<Pending> batches) {
        if (batches.size() == 1) {
            writeAlone(batches.get(0));
            return;
        }
        List<NewEvent> events = new ArrayList<>();
        batches.forEach((batch) -> events.addAll(batch.events));
        List<AppendResult> results;
        try {
            results = this.writer.write(sessionId, events);
        }
        catch (RuntimeException ex) {
            // One caller's batch may be what failed (no room under the reject policy): each writes alone.
            batches.forEach(this::writeAlone);
            return;
        }
        int from = 0;
        for (Pending batch : batches) {
            batch.complete(results.subList(from, from + batch.events.size()), null);
            from += batch.events.size();
        }
    }

    private void writeAlone(Pending batch) {
        try {
            batch.complete(this.writer.write(batch.sessionId, batch.events), null);
        }
        catch (RuntimeException ex) {
            batch.complete(List.of(), ex);
        }
    }

    /** The callers whose sessions hash alike: one turn, one queue. */
    private static final class Stripe {

        final ReentrantLock turn = new ReentrantLock();

        final Queue<Pending> queue = new ConcurrentLinkedQueue<>();

        /**
         * Removes and returns the oldest queued batches of a session: at least one, then more while they fit in
         * {@link #MAX_COMBINED_EVENTS} events.
         */
        List<Pending> take(String sessionId) {
            List<Pending> taken = new ArrayList<>();
            int events = 0;
            for (Iterator<Pending> queued = this.queue.iterator(); queued.hasNext();) {
                Pending batch = queued.next();
                if (!batch.sessionId.equals(sessionId)) {
                    continue;
                }
                if (!taken.isEmpty() && events + batch.events.size() > MAX_COMBINED_EVENTS) {
                    break;
                }
                queued.remove();
                taken.add(batch);
                events += batch.events.size();
            }
            return taken;
        }

    }

    /** One caller's batch, and what became of it. */
    private static final class Pending {

        final String sessionId;

        final List<NewEvent> events;

        List<AppendResult> results = List.of();

        @Nullable RuntimeException failure;

        /** Written last, after the results it publishes to the caller. */
        volatile boolean done;

        final Thread caller = Thread.currentThread();

        Pending(String sessionId, List<NewEvent> events) {
            this.sessionId = sessionId;
            this.events = events;
        }

        void complete(List<AppendResult> results, @Nullable RuntimeException failure) {
            this.results = results;
            this.failure = failure;
            this.done = true;
            LockSupport.unpark(this.caller);
        }

    }

}
