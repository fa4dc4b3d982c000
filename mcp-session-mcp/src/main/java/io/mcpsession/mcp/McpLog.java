package io.mcpsession.mcp;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.Cursor;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.NewEvent;
import io.mcpsession.sse.SseFrames;
import io.mcpsession.store.SessionStore;

/**
 * How MCP messages are kept in a session's log: each is an event whose {@code runId} is the tag of the stream it
 * belongs to and whose {@code data} is the JSON-RPC message. The last message of a POST's stream, its response, has
 * the type {@value #RESPONSE} and the idempotency key {@code final.<tag>}, so that a stream gets exactly one final
 * message even when its owner and a resuming instance race to write it.
 */
final class McpLog {

    /** A message of a stream that more may follow. */
    static final String MESSAGE = "mcp.message";

    /** The final message of a POST's stream: the response to its request. */
    static final String RESPONSE = "mcp.response";

    /** Bookkeeping of a stream that clients never see (a newer GET connection taking over). */
    static final String CONTROL = "mcp.control";

    /** A client's response to a server request, on its way to the instance that sent the request. */
    static final String CLIENT_RESPONSE = "mcp.client-response";

    /** The most events one read of a stream returns. */
    static final int PAGE = 100;

    private final SessionStore store;

    McpLog(SessionStore store) {
        this.store = store;
    }

    SessionStore store() {
        return this.store;
    }

    /** Appends a message of a stream. */
    EventRecord append(String sessionId, String tag, String json) {
        return this.store.append(sessionId, new NewEvent(null, MESSAGE, json, tag, null, false)).event();
    }

    /**
     * Appends the final message of a POST's stream, unless it has one already.
     * @return the stream's final message: this one, or the one written first
     */
    EventRecord appendFinal(String sessionId, String tag, String json) {
        AppendResult result = this.store.append(sessionId, new NewEvent("final." + tag, RESPONSE, json, tag, null, false));
        return result.event();
    }

    /** Appends a record that only this transport reads. */
    EventRecord appendInternal(String sessionId, String type, String runId, String json) {
        return this.store.append(sessionId, new NewEvent(null, type, json, runId, null, false)).event();
    }

    /** The next page of a stream's events after {@code cursor}. */
    EventPage read(String sessionId, String tag, Cursor cursor) {
        return this.store.read(sessionId, EventQuery.after(cursor).withRunId(tag).withLimit(PAGE));
    }

    static boolean isFinal(EventRecord event) {
        return RESPONSE.equals(event.type());
    }

    /** The SSE frame of a message. */
    static String frame(StreamKey stream, EventRecord event) {
        return SseFrames.event(new McpEventId(stream, Cursor.of(event.epoch(), event.seq())).token(), "message",
                event.data());
    }

}
