package io.mcpsession.store;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.EventRecord;

/**
 * The in-process fan-out of wake-ups that every store shares: readers subscribe here, and a store (or its
 * cross-instance notifier) reports here what moved. A failing listener never stops the others.
 */
public final class ListenerRegistry {

    private static final System.Logger logger = System.getLogger(ListenerRegistry.class.getName());

    private final ConcurrentHashMap<String, CopyOnWriteArrayList<SessionListener>> sessionListeners = new ConcurrentHashMap<>();

    private final CopyOnWriteArrayList<FeedListener> feedListeners = new CopyOnWriteArrayList<>();

    /** Registers a listener of one session. */
    public Subscription subscribe(String sessionId, SessionListener listener) {
        this.sessionListeners.computeIfAbsent(sessionId, (id) -> new CopyOnWriteArrayList<>()).add(listener);
        return () -> this.sessionListeners.computeIfPresent(sessionId, (id, listeners) -> {
            listeners.remove(listener);
            return listeners.isEmpty() ? null : listeners;
        });
    }

    /** Registers a listener of the feed. */
    public Subscription subscribeFeed(FeedListener listener) {
        this.feedListeners.add(listener);
        return () -> this.feedListeners.remove(listener);
    }

    /** The sessions that have at least one listener. */
    public Set<String> subscribedSessions() {
        return Set.copyOf(this.sessionListeners.keySet());
    }

    /** Whether anyone listens to the feed. */
    public boolean hasFeedListeners() {
        return !this.feedListeners.isEmpty();
    }

    /** Reports appended events (or, with an empty list, only that the log reached {@code latest}). */
    public void appended(String sessionId, long latest, List<EventRecord> events) {
        for (SessionListener listener : listenersOf(sessionId)) {
            try {
                listener.appended(sessionId, latest, events);
            }
            catch (RuntimeException ex) {
                logger.log(Level.WARNING, "A session listener failed", ex);
            }
        }
    }

    /** Reports an ephemeral event. */
    public void ephemeral(EphemeralEvent event) {
        for (SessionListener listener : listenersOf(event.sessionId())) {
            try {
                listener.ephemeral(event);
            }
            catch (RuntimeException ex) {
                logger.log(Level.WARNING, "A session listener failed", ex);
            }
        }
    }

    /** Reports that a session ended. */
    public void closed(String sessionId, CloseReason reason) {
        for (SessionListener listener : listenersOf(sessionId)) {
            try {
                listener.closed(sessionId, reason);
            }
            catch (RuntimeException ex) {
                logger.log(Level.WARNING, "A session listener failed", ex);
            }
        }
    }

    /** Reports that the feed moved. */
    public void feedAdvanced(long latest) {
        for (FeedListener listener : this.feedListeners) {
            try {
                listener.advanced(latest);
            }
            catch (RuntimeException ex) {
                logger.log(Level.WARNING, "A feed listener failed", ex);
            }
        }
    }

    /** Drops every listener. */
    public void clear() {
        this.sessionListeners.clear();
        this.feedListeners.clear();
    }

    private List<SessionListener> listenersOf(String sessionId) {
        List<SessionListener> listeners = this.sessionListeners.get(sessionId);
        return (listeners != null) ? listeners : List.of();
    }

}
