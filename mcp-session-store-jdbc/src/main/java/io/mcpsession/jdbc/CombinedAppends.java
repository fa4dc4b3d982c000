package io.mcpsession.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
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

    private final Writer writer;

    /** The sessions with appends under way from this instance; a session's entry goes with its last caller. */
    private final Map<String, Turn> turns = new ConcurrentHashMap<>();

    CombinedAppends(Writer writer) {
        this.writer = writer;
    }

    List<AppendResult> append(String sessionId, List<NewEvent> events) {
        Turn turn = this.turns.compute(sessionId, (id, current) -> {
            Turn joined = (current != null) ? current : new Turn(id);
            joined.callers++;
            return joined;
        });
        try {
            return append(turn, new Pending(events));
        }
        finally {
            this.turns.computeIfPresent(sessionId, (id, current) -> (--current.callers == 0) ? null : current);
        }
    }

    private List<AppendResult> append(Turn turn, Pending mine) {
        turn.queue.add(mine);
        while (!mine.done) {
            if (turn.lock.tryLock()) {
                try {
                    if (!mine.done) {
                        write(turn.sessionId, turn.take());
                    }
                }
                finally {
                    turn.lock.unlock();
                }
                // The oldest caller still queued takes the next turn.
                Pending next = turn.queue.peek();
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
        return this.turns.values().stream().mapToInt((turn) -> turn.queue.size()).sum();
    }

    /** How many sessions have appends under way (for tests). */
    int sessionsUnderWay() {
        return this.turns.size();
    }

    private void write(String sessionId, List<Pending> batches) {
        if (batches.size() == 1) {
            writeAlone(sessionId, batches.get(0));
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
            batches.forEach((batch) -> writeAlone(sessionId, batch));
            return;
        }
        int from = 0;
        for (Pending batch : batches) {
            batch.complete(results.subList(from, from + batch.events.size()), null);
            from += batch.events.size();
        }
    }

    private void writeAlone(String sessionId, Pending batch) {
        try {
            batch.complete(this.writer.write(sessionId, batch.events), null);
        }
        catch (RuntimeException ex) {
            batch.complete(List.of(), ex);
        }
    }

    /** One session's turn: whoever holds it writes; the others queue their batches. */
    private static final class Turn {

        final String sessionId;

        final ReentrantLock lock = new ReentrantLock();

        final Queue<Pending> queue = new ConcurrentLinkedQueue<>();

        /** The callers using this turn; changed only inside the map's compute for the session. */
        int callers;

        Turn(String sessionId) {
            this.sessionId = sessionId;
        }

        /**
         * Removes and returns the oldest queued batches: at least one, then more while they fit in
         * {@link #MAX_COMBINED_EVENTS} events.
         */
        List<Pending> take() {
            List<Pending> taken = new ArrayList<>();
            int events = 0;
            for (Pending batch = this.queue.peek(); batch != null; batch = this.queue.peek()) {
                if (!taken.isEmpty() && events + batch.events.size() > MAX_COMBINED_EVENTS) {
                    break;
                }
                this.queue.poll();
                taken.add(batch);
                events += batch.events.size();
            }
            return taken;
        }

    }

    /** One caller's batch, and what became of it. */
    private static final class Pending {

        final List<NewEvent> events;

        List<AppendResult> results = List.of();

        @Nullable RuntimeException failure;

        /** Written last, after the results it publishes to the caller. */
        volatile boolean done;

        final Thread caller = Thread.currentThread();

        Pending(List<NewEvent> events) {
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
