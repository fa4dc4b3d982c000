package io.mcpsession.store.memory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.Session;

/**
 * One session of the in-memory store. Its monitor guards the session's members and its log; activity and state
 * are written without it (state keys are independent, and activity only ever moves forward).
 */
final class SessionEntry {

    final String id;

    final String epoch;

    final ConcurrentHashMap<String, String> state = new ConcurrentHashMap<>(2);

    private final Duration timeout;

    private final long timeoutMillis;

    /** The session's members; its activity fields are stale, {@link #lastActivity} is the truth. */
    private volatile Session session;

    private volatile Instant lastActivity;

    private EventLog log;

    private boolean removed;

    SessionEntry(Session session, String epoch, Duration timeout) {
        this.id = session.id();
        this.session = session;
        this.lastActivity = session.lastActivity();
        this.epoch = epoch;
        this.timeout = timeout;
        this.timeoutMillis = timeout.toMillis();
    }

    /** The session as readers see it. */
    Session session() {
        Instant activity = this.lastActivity;
        return this.session.withActivity(activity, activity.plus(this.timeout));
    }

    /** Replaces the session's members; the caller holds the monitor. */
    void replace(Session session) {
        this.session = session;
    }

    void touch(Instant now) {
        if (now.isAfter(this.lastActivity)) {
            this.lastActivity = now;
        }
    }

    /**
     * In whole milliseconds, as the store's clock gives them: for a whole number of them, "more than the timeout"
     * and "more than its whole milliseconds" agree, and this runs on every append.
     */
    boolean isExpired(Instant now) {
        return now.toEpochMilli() - this.lastActivity.toEpochMilli() > this.timeoutMillis;
    }

    @Nullable String principal() {
        return this.session.principal();
    }

    Instant createdAt() {
        return this.session.createdAt();
    }

    /** The log, created on first use; the caller holds the monitor. */
    EventLog log() {
        if (this.log == null) {
            this.log = new EventLog();
        }
        return this.log;
    }

    /** Whether the log was ever used; the caller holds the monitor. */
    boolean hasLog() {
        return this.log != null;
    }

    /** Whether the entry was removed from the store; the caller holds the monitor. */
    boolean isRemoved() {
        return this.removed;
    }

    /** Marks the entry removed; returns whether it was live. The caller holds the monitor. */
    boolean markRemoved() {
        boolean wasLive = !this.removed;
        this.removed = true;
        return wasLive;
    }

}
