package io.mcpsession.core;

/**
 * The stable error codes of the contract, with the HTTP status each maps to.
 */
public enum ErrorCode {

    /** No such session, or it expired, or it belongs to another principal. */
    SESSION_NOT_FOUND(404),

    /** A session with the requested id already exists. */
    SESSION_EXISTS(409),

    /** A caller-chosen session id breaks the id rules. */
    INVALID_SESSION_ID(400),

    /** Bad JSON, a bad parameter, a bad limit, a bad timestamp or an out-of-bounds field. */
    INVALID_REQUEST(400),

    /** A cursor or {@code Last-Event-ID} that cannot be parsed. */
    INVALID_CURSOR(400),

    /** An event or state value larger than {@code max-event-bytes}. */
    PAYLOAD_TOO_LARGE(413),

    /** {@code max-sessions} sessions exist already. */
    MAX_SESSIONS_REACHED(429),

    /** The session's log is full and the overflow policy is {@code reject}. */
    MAX_EVENTS_REACHED(409),

    /** No such state key in the session. */
    STATE_KEY_NOT_FOUND(404),

    /** A request body that is not JSON. */
    UNSUPPORTED_MEDIA_TYPE(415),

    /** The session holds its maximum of state keys ({@code mcp.session.state.max-keys}). */
    MAX_STATE_KEYS_REACHED(409),

    /**
     * The session, or the instance, has its maximum of open streams ({@code mcp.session.sse.max-streams-per-session},
     * {@code mcp.session.sse.max-streams}).
     */
    TOO_MANY_STREAMS(429),

    /** This instance holds its maximum of waiting long-polls ({@code mcp.session.long-poll.max-waiting}). */
    TOO_MANY_WAITERS(429),

    /** The caller created sessions faster than the application allows. */
    TOO_MANY_SESSIONS_CREATED(429),

    /** The store cannot be reached. */
    STORE_UNAVAILABLE(503);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status this code answers with. */
    public int httpStatus() {
        return this.httpStatus;
    }

}
