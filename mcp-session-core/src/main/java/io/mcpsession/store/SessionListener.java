package io.mcpsession.store;

import java.util.List;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.EventRecord;

/**
 * Hears that a session's log moved. Called on the thread that made the change (or the store's notification
 * thread): implementations hand real work to their own executor and return at once.
 */
public interface SessionListener {

    /**
     * Events were appended.
     * @param sessionId the session
     * @param latest the log's latest seq after the append
     * @param events the appended events when the store knows them in process, else empty: a hint to read
     */
    void appended(String sessionId, long latest, List<EventRecord> events);

    /** An ephemeral event was published. */
    void ephemeral(EphemeralEvent event);

    /** The session was deleted or expired; no more events will come. */
    void closed(String sessionId, CloseReason reason);

}
