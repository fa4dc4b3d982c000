package io.mcpsession.core;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A read of a session's log: events with {@code seq > after}, oldest first, at most {@code limit}, optionally
 * filtered.
 *
 * @param after the reader's cursor (0 for the start)
 * @param epoch the epoch of {@code after}, or {@code null} for the current one
 * @param before only events with {@code seq < before}, or {@code null}
 * @param type only events of this type, or {@code null}
 * @param runId only events of this run, or {@code null}
 * @param since only events with {@code timestamp >= since}, or {@code null}
 * @param limit the most events to return (1–1000)
 */
public record EventQuery(long after, @Nullable String epoch, @Nullable Long before, @Nullable String type,
        @Nullable String runId, @Nullable Instant since, int limit) {

    public EventQuery {
        Cursor.of(epoch, after);
        if (before != null && before < 1) {
            throw McpSessionException.invalidRequest("'before' must be at least 1");
        }
        if (type != null) {
            Limits.requireName("type", type);
        }
        if (runId != null) {
            Limits.requireName("runId", runId);
        }
        Limits.requireReadLimit(limit);
    }

    /** Every retained event after {@code after}, 100 at a time. */
    public static EventQuery after(long after) {
        return new EventQuery(after, null, null, null, null, null, Limits.DEFAULT_READ_LIMIT);
    }

    /** The events after {@code cursor}. */
    public static EventQuery after(Cursor cursor) {
        return new EventQuery(cursor.seq(), cursor.epoch(), null, null, null, null, Limits.DEFAULT_READ_LIMIT);
    }

    public EventQuery withEpoch(@Nullable String epoch) {
        return new EventQuery(this.after, epoch, this.before, this.type, this.runId, this.since, this.limit);
    }

    public EventQuery withBefore(@Nullable Long before) {
        return new EventQuery(this.after, this.epoch, before, this.type, this.runId, this.since, this.limit);
    }

    public EventQuery withType(@Nullable String type) {
        return new EventQuery(this.after, this.epoch, this.before, type, this.runId, this.since, this.limit);
    }

    public EventQuery withRunId(@Nullable String runId) {
        return new EventQuery(this.after, this.epoch, this.before, this.type, runId, this.since, this.limit);
    }

    public EventQuery withSince(@Nullable Instant since) {
        return new EventQuery(this.after, this.epoch, this.before, this.type, this.runId, since, this.limit);
    }

    public EventQuery withLimit(int limit) {
        return new EventQuery(this.after, this.epoch, this.before, this.type, this.runId, this.since, limit);
    }

    /** Whether {@code event} passes this query's filters (not its seq bounds). */
    public boolean matches(EventRecord event) {
        return (this.type == null || this.type.equals(event.type()))
                && (this.runId == null || this.runId.equals(event.runId()))
                && (this.since == null || !event.timestamp().isBefore(this.since));
    }

}
