package io.mcpsession.sse;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Encodes Server-Sent Events frames (HTML Living Standard, "Server-sent events", event stream format). Every
 * frame ends with a blank line; every line ends with LF. Values that a parser would misread (line breaks in an
 * id or event name, NUL in an id) are refused rather than silently altered.
 */
public final class SseFrames {

    private SseFrames() {
    }

    /**
     * An event frame.
     * @param id the {@code id:} field, or {@code null} to leave the client's last event id unchanged
     * @param type the {@code event:} field, or {@code null} for the default {@code message}
     * @param data the {@code data:} payload; each of its lines (split at CRLF, CR or LF) becomes one field
     * @throws IllegalArgumentException when {@code id} or {@code type} holds a line break, or {@code id} a NUL
     */
    public static String event(@Nullable String id, @Nullable String type, String data) {
        StringBuilder frame = new StringBuilder(data.length() + 64);
        if (id != null) {
            requireSingleLine("id", id);
            if (id.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("An SSE id cannot hold NUL: clients would ignore it");
            }
            frame.append("id: ").append(id).append('\n');
        }
        if (type != null) {
            requireSingleLine("event", type);
            frame.append("event: ").append(type).append('\n');
        }
        appendLines(frame, "data: ", data);
        return frame.append('\n').toString();
    }

    /** A comment frame (clients ignore it; it keeps intermediaries from closing an idle connection). */
    public static String comment(String text) {
        StringBuilder frame = new StringBuilder(text.length() + 8);
        appendLines(frame, ": ", text);
        return frame.append('\n').toString();
    }

    /** A frame that sets the client's reconnection time. */
    public static String retry(Duration reconnectTime) {
        if (reconnectTime.isNegative()) {
            throw new IllegalArgumentException("A reconnection time is never negative");
        }
        return "retry: " + reconnectTime.toMillis() + "\n\n";
    }

    private static void appendLines(StringBuilder frame, String prefix, String text) {
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n') {
                frame.append(prefix).append(text, start, i).append('\n');
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        frame.append(prefix).append(text, start, text.length()).append('\n');
    }

    private static void requireSingleLine(String field, String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("An SSE " + field + " cannot hold a line break");
        }
    }

}
