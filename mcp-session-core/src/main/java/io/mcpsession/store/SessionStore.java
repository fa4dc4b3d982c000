package io.mcpsession.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.PageBudget;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionPage;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.core.StatePage;

/**
 * Where sessions, their state, their event logs and the global feed live. Every implementation behaves the same
 * (the store contract test kit proves it); failures are {@link McpSessionException}s with a stable code.
 * <p>
 * Sessions that have expired behave exactly like deleted ones: every operation on them fails with
 * {@code SESSION_NOT_FOUND}, even before the sweeper removes their data. Operations that change a session
 * (appends, state writes, updates, {@link #touch(String)}) count as its activity.
 * <p>
 * Waiting is push-based: {@link #subscribe(String, SessionListener)} and {@link #subscribeFeed(FeedListener)}
 * tell a reader that a log moved; the reader then reads from the store, which stays the truth.
 */
public interface SessionStore extends AutoCloseable {

    /** The store's kind ({@code memory}, {@code jdbc}, {@code redis}), for logs and metric tags. */
    String type();

    /** The store's kind and where it points, without secrets, for the start-up log and health details. */
    default String describe() {
        return type();
    }

    // Sessions

    /**
     * Creates a session.
     * @throws McpSessionException {@code INVALID_SESSION_ID}, {@code SESSION_EXISTS}, {@code MAX_SESSIONS_REACHED}
     * or {@code INVALID_REQUEST}
     */
    Session create(NewSession session);

    /** The session, unless it does not exist or has expired. */
    Optional<Session> find(String sessionId);

    /**
     * Applies a merge patch to a session and writes a {@code session.updated} feed entry.
     * @throws McpSessionException {@code SESSION_NOT_FOUND}
     */
    Session update(String sessionId, SessionPatch patch);

    /**
     * Deletes a session with its state and events, writes a {@code session.deleted} feed entry and ends its
     * streams.
     * @return whether the session existed
     */
    boolean delete(String sessionId);

    /**
     * Lists the live sessions of every owner, ordered by {@code createdAt}, then {@code id}. A cursor naming a
     * session removed since the previous page still places the next page.
     * @param after the id of the last session of the previous page, or {@code null} for the first page
     * @param limit 1–1000
     * @throws McpSessionException {@code INVALID_CURSOR} when {@code after} names no session this store can place
     */
    SessionPage list(@Nullable String after, int limit);

    /**
     * Lists the live sessions of one owner, ordered by {@code createdAt}, then {@code id}. A cursor that names
     * another owner's session is treated exactly like one that names no session.
     * @param after the id of the last session of the previous page, or {@code null} for the first page
     * @param limit 1–1000
     * @param principal the owner, or {@code null} for the anonymous sessions
     * @throws McpSessionException {@code INVALID_CURSOR} when {@code after} names no session this store can place
     */
    SessionPage list(@Nullable String after, int limit, @Nullable String principal);

    /**
     * The number of live sessions of every owner. This default pages through {@link #list(String, int)};
     * stores override it with a count of their own.
     */
    default long countSessions() {
        long count = 0;
        String after = null;
        do {
            SessionPage page = list(after, 1000);
            count += page.sessions().size();
            after = page.nextCursor();
        }
        while (after != null);
        return count;
    }

    /**
     * Records activity: the session's idle timeout starts again.
     * @return the session after the touch
     * @throws McpSessionException {@code SESSION_NOT_FOUND}
     */
    Session touch(String sessionId);

    // State

    /**
     * One state value as JSON text.
     * @throws McpSessionException {@code SESSION_NOT_FOUND}
     */
    Optional<String> getState(String sessionId, String key);

    /**
     * Every state value as JSON text, by key.
     * @throws McpSessionException {@code SESSION_NOT_FOUND}
     */
    Map<String, String> getAllState(String sessionId);

    /**
     * A page of a session's state: the keys after {@code after} in key order (by UTF-16 code units), at most
     * {@code limit}, and no more than the store's page budget takes (at least one). This default pages through
     * {@link #getAllState(String)}; stores override it to read one page only.
     * @param after the last key of the previous page, or {@code null} for the first page
     * @param limit 1–1000
     * @throws McpSessionException {@code SESSION_NOT_FOUND}
     */
    default StatePage readState(String sessionId, @Nullable String after, int limit) {
        return StatePage.of(getAllState(sessionId), after, limit, new PageBudget(Long.MAX_VALUE));
    }

    /**
     * Writes one state value (JSON text); writes to other keys are never lost.
     * @throws McpSessionException {@code SESSION_NOT_FOUND}, {@code INVALID_REQUEST}, {@code PAYLOAD_TOO_LARGE},
     * {@code MAX_STATE_KEYS_REACHED} for a new key of a session that holds {@code max-state-keys}
     */
    void putState(String sessionId, String key, String jsonValue);

    /**
     * Removes one state value.
     * @return whether the key existed
     * @throws McpSessionException {@code SESSION_NOT_FOUND}
     */
    boolean removeState(String sessionId, String key);

    // Events

    /**
     * Appends one persisted event with the next seq of its session, or returns the original of a duplicate id.
     * @throws McpSessionException {@code SESSION_NOT_FOUND}, {@code INVALID_REQUEST} (also for an ephemeral event),
     * {@code PAYLOAD_TOO_LARGE}, {@code MAX_EVENTS_REACHED}
     */
    AppendResult append(String sessionId, NewEvent event);

    /**
     * Appends events atomically and contiguously, in order; a duplicate (also within the batch) returns its
     * original in place.
     * @throws McpSessionException as {@link #append(String, NewEvent)}, and {@code INVALID_REQUEST} for an empty
     * batch
     */
    List<AppendResult> appendAll(String sessionId, List<NewEvent> events);

    /**
     * Delivers an ephemeral event to the session's live readers without persisting it.
     * @throws McpSessionException {@code SESSION_NOT_FOUND}, {@code INVALID_REQUEST}, {@code PAYLOAD_TOO_LARGE}
     */
    EphemeralEvent publishEphemeral(String sessionId, NewEvent event);

    /**
     * Reads events after a cursor, honouring the gap contract.
     * @throws McpSessionException {@code SESSION_NOT_FOUND}
     */
    EventPage read(String sessionId, EventQuery query);

    /**
     * Where the session's log stands.
     * @throws McpSessionException {@code SESSION_NOT_FOUND}
     */
    LogPosition position(String sessionId);

    /**
     * Deletes every event with {@code seq < before}; {@code earliestRetained} moves up.
     * @throws McpSessionException {@code SESSION_NOT_FOUND}, {@code INVALID_REQUEST} for {@code before < 1}
     */
    void deleteBefore(String sessionId, long before);

    // Feed

    /** Reads the global feed after a cursor, honouring the gap contract. */
    FeedPage readFeed(FeedQuery query);

    // Waiting and housekeeping

    /**
     * Tells {@code listener} when the session's log moves, an ephemeral event is published or the session ends.
     * Subscribe before reading so that nothing falls between the read and the subscription.
     */
    Subscription subscribe(String sessionId, SessionListener listener);

    /** Tells {@code listener} when the feed moves. */
    Subscription subscribeFeed(FeedListener listener);

    /**
     * Removes expired sessions (writing {@code session.expired} entries and ending their streams) and events and
     * feed entries beyond retention, in bounded batches.
     */
    SweepResult sweep();

    /** Releases the store's resources; open subscriptions stop receiving. */
    @Override
    void close();

}
