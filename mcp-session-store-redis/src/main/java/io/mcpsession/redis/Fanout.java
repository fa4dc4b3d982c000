package io.mcpsession.redis;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.EventRecord;
import io.mcpsession.store.ListenerRegistry;

/**
 * The store's way to its local listeners: every report of what moved (from this instance's own changes and from
 * other instances' hints) passes through here to the {@link ListenerRegistry}, and the last position reported of
 * each session the {@link PositionCheck} follows, and of the feed, is remembered, so that the check reports only
 * what moved unheard.
 */
final class Fanout {

    /**
     * What this instance last reported of a session's log.
     * @param epoch the log's epoch, or {@code null} when only hints (which carry none) reported it
     * @param latest the highest seq reported in that epoch
     * @param expiresAt when the session expires as last checked, or {@code -1} when unknown
     * @param gone whether its end was reported
     */
    record Seen(@Nullable String epoch, long latest, long expiresAt, boolean gone) {

        static final Seen GONE = new Seen(null, 0, -1, true);

    }

    /** What this instance last reported of the feed ({@code epoch} {@code null} when only hints reported it). */
    record SeenFeed(@Nullable String epoch, long latest) {

    }

    private final ListenerRegistry listeners;

    private final ConcurrentHashMap<String, Seen> sessions = new ConcurrentHashMap<>();

    private final AtomicReference<@Nullable SeenFeed> feed = new AtomicReference<>();

    Fanout(ListenerRegistry listeners) {
        this.listeners = listeners;
    }

    ListenerRegistry listeners() {
        return this.listeners;
    }

    /**
     * Events were appended (in this instance, with their records, or elsewhere, with none). Only sessions a check
     * has seen are followed (those with listeners), so appends to the others cost nothing here.
     */
    void appended(String sessionId, long latest, List<EventRecord> events) {
        String epoch = events.isEmpty() ? null : events.get(0).epoch();
        Seen heard = new Seen(epoch, latest, -1, false);
        this.sessions.computeIfPresent(sessionId, (id, seen) -> later(seen, heard));
        this.listeners.appended(sessionId, latest, events);
    }

    void closed(String sessionId, CloseReason reason) {
        this.sessions.put(sessionId, Seen.GONE);
        this.listeners.closed(sessionId, reason);
    }

    void ephemeral(EphemeralEvent event) {
        this.listeners.ephemeral(event);
    }

    void feedAdvanced(long latest) {
        this.feed.accumulateAndGet(new SeenFeed(null, latest), (seen, heard) -> (seen == null) ? heard
                : new SeenFeed(seen.epoch(), Math.max(seen.latest(), heard.latest())));
        this.listeners.feedAdvanced(latest);
    }

    /**
     * Changes what was seen of a session, atomically with the reports; returns what was seen before.
     * @param change from what was seen ({@code null}: nothing) to what is seen now
     */
    @Nullable Seen update(String sessionId, UnaryOperator<@Nullable Seen> change) {
        Object[] before = new Object[1];
        this.sessions.compute(sessionId, (id, seen) -> {
            before[0] = seen;
            return change.apply(seen);
        });
        return (Seen) before[0];
    }

    /** Changes what was seen of the feed (the change may run more than once); returns what was seen before. */
    @Nullable SeenFeed updateFeed(UnaryOperator<@Nullable SeenFeed> change) {
        return this.feed.getAndUpdate(change);
    }

    /** Forgets the sessions nobody listens to any more. */
    void retain(Set<String> subscribed) {
        this.sessions.keySet().retainAll(subscribed);
    }

    void clear() {
        this.sessions.clear();
        this.feed.set(null);
        this.listeners.clear();
    }

    /** A report merged into what was seen: the later position of one epoch; a new epoch replaces the old. */
    private static Seen later(Seen seen, Seen heard) {
        if (seen.gone()) {
            return heard;
        }
        if (heard.epoch() != null && !heard.epoch().equals(seen.epoch())) {
            return heard;
        }
        return new Seen(seen.epoch(), Math.max(seen.latest(), heard.latest()), seen.expiresAt(), false);
    }

}
