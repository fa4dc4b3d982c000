package io.mcpsession.mcp;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.Cursor;
import io.mcpsession.core.McpSessionException;

/**
 * The SSE event id of a message of an MCP session: {@code <stream key>:<epoch>:<seq>}, the stream it belongs to and
 * its place in the session's log. A client resumes that one stream from it, on any instance.
 *
 * @param stream the stream
 * @param cursor the place in the session's log: the seq of this message; for a priming event, a place before the
 * stream's first message (a POST's stream primes with {@code 0} in the current epoch: it has no message yet)
 */
record McpEventId(StreamKey stream, Cursor cursor) {

    private static final int MAX_LENGTH = 1024;

    String token() {
        return this.stream.value() + ":" + this.cursor.token();
    }

    /** Reads an event id that this transport wrote, or {@code null} for anything else. */
    static @Nullable McpEventId parse(String token) {
        if (token.length() > MAX_LENGTH) {
            return null;
        }
        int first = token.indexOf(':');
        if (first < 0) {
            return null;
        }
        StreamKey stream = StreamKey.parse(token.substring(0, first));
        if (stream == null) {
            return null;
        }
        try {
            return new McpEventId(stream, Cursor.parse(token.substring(first + 1)));
        }
        catch (McpSessionException ex) {
            return null;
        }
    }

}
