package io.mcpsession.core;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The gap contract in one place: where a read starts, where it stops, whether the reader must reset, and the
 * cursor it resumes from. A store computes the plan from a {@link LogPosition} taken in the same consistent
 * snapshot as the events it then reads ({@code after < seq <= upTo}).
 *
 * @param after the seq to read after (past the reader's cursor when it was reset)
 * @param upTo the highest seq the read may return
 * @param resetReason why the reader's cursor could not be honoured, or {@code null}
 */
public record ReadPlan(long after, long upTo, @Nullable ResetReason resetReason) {

    /**
     * Plans a read.
     * @param after the reader's cursor
     * @param epoch the epoch of the cursor, or {@code null} for the current one
     * @param before only seqs below this, or {@code null}
     * @param position the log's position in the read's snapshot
     */
    public static ReadPlan of(long after, @Nullable String epoch, @Nullable Long before, LogPosition position) {
        long start = after;
        ResetReason reason = null;
        if (epoch != null && !epoch.equals(position.epoch())) {
            reason = ResetReason.EPOCH;
            start = position.earliestRetained() - 1;
        }
        else if (after < position.earliestRetained() - 1) {
            reason = ResetReason.RETENTION;
            start = position.earliestRetained() - 1;
        }
        long upTo = (before != null) ? Math.min(position.latest(), before - 1) : position.latest();
        return new ReadPlan(start, upTo, reason);
    }

    /** Plans a read of a session's log. */
    public static ReadPlan of(EventQuery query, LogPosition position) {
        return of(query.after(), query.epoch(), query.before(), position);
    }

    /** Whether the reader's cursor was reset. */
    public boolean reset() {
        return this.resetReason != null;
    }

    /**
     * The cursor to resume from: the last returned seq when the page is full, otherwise {@link #upTo()}, and
     * never less than {@link #after()}.
     * @param returned how many items the read returned
     * @param lastSeq the seq of the last returned item (ignored when none was returned)
     * @param limit the read's limit
     */
    public long nextCursor(int returned, long lastSeq, int limit) {
        long examined = (returned >= limit) ? lastSeq : this.upTo;
        return Math.max(this.after, examined);
    }

    /** Assembles the page of a read that followed this plan. */
    public EventPage page(String sessionId, LogPosition position, List<EventRecord> events, int limit) {
        return page(sessionId, position, events, limit, false);
    }

    /**
     * Assembles the page of a read that followed this plan.
     * @param cut whether the page budget stopped the read: the page is full at its last event
     */
    public EventPage page(String sessionId, LogPosition position, List<EventRecord> events, int limit, boolean cut) {
        long last = events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
        return new EventPage(sessionId, position.epoch(), events, position.latest(), position.earliestRetained(),
                nextCursor(cut ? Math.max(limit, events.size()) : events.size(), last, limit), reset(),
                this.resetReason);
    }

    /** Assembles the page of a feed read that followed this plan. */
    public FeedPage feedPage(LogPosition position, List<FeedEntry> entries, int limit) {
        return feedPage(position, entries, limit, false);
    }

    /**
     * Assembles the page of a feed read that followed this plan.
     * @param cut whether the page budget stopped the read: the page is full at its last entry
     */
    public FeedPage feedPage(LogPosition position, List<FeedEntry> entries, int limit, boolean cut) {
        long last = entries.isEmpty() ? 0 : entries.get(entries.size() - 1).seq();
        return new FeedPage(position.epoch(), entries, position.latest(), position.earliestRetained(),
                nextCursor(cut ? Math.max(limit, entries.size()) : entries.size(), last, limit), reset(),
                this.resetReason);
    }

}
