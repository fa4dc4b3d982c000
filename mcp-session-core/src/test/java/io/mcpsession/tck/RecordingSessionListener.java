package io.mcpsession.tck;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.EventRecord;
import io.mcpsession.store.SessionListener;

/**
 * A {@link SessionListener} that records what it hears, safe to read from the test thread while a store's
 * notification thread writes.
 */
public final class RecordingSessionListener implements SessionListener {

    /** The highest {@code latest} heard ({@code 0} before any). */
    public final AtomicLong latest = new AtomicLong();

    /** How many {@code appended} calls were heard. */
    public final AtomicLong appendedCalls = new AtomicLong();

    /** The events of every {@code appended} call (empty for calls that were only a hint). */
    public final List<EventRecord> events = new CopyOnWriteArrayList<>();

    /** The ephemeral events heard. */
    public final List<EphemeralEvent> ephemerals = new CopyOnWriteArrayList<>();

    /** The close reasons heard. */
    public final List<CloseReason> closed = new CopyOnWriteArrayList<>();

    /** The session ids of every call heard. */
    public final List<String> sessionIds = new CopyOnWriteArrayList<>();

    @Override
    public void appended(String sessionId, long latest, List<EventRecord> events) {
        this.sessionIds.add(sessionId);
        this.events.addAll(events);
        this.latest.accumulateAndGet(latest, Math::max);
        this.appendedCalls.incrementAndGet();
    }

    @Override
    public void ephemeral(EphemeralEvent event) {
        this.sessionIds.add(event.sessionId());
        this.ephemerals.add(event);
    }

    @Override
    public void closed(String sessionId, CloseReason reason) {
        this.sessionIds.add(sessionId);
        this.closed.add(reason);
    }

    /** Whether anything at all was heard. */
    public boolean heardAnything() {
        return !this.sessionIds.isEmpty();
    }

}
