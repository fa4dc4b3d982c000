package io.mcpsession.core;

/**
 * A failure with a stable {@link ErrorCode}. Its message is safe to show to a client: it never holds a class
 * name, SQL or a stack trace.
 */
public class McpSessionException extends RuntimeException {

    private final ErrorCode code;

    public McpSessionException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public McpSessionException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    /** The contract's code of this failure. */
    public ErrorCode code() {
        return this.code;
    }

    /** A {@code SESSION_NOT_FOUND} failure for {@code sessionId}. */
    public static McpSessionException sessionNotFound(String sessionId) {
        return new McpSessionException(ErrorCode.SESSION_NOT_FOUND, "No session '" + sessionId + "'");
    }

    /** An {@code INVALID_REQUEST} failure. */
    public static McpSessionException invalidRequest(String message) {
        return new McpSessionException(ErrorCode.INVALID_REQUEST, message);
    }

}
