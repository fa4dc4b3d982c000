package io.mcpsession.sse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * A test-only client side of Server-Sent Events, written to the letter of the HTML Living Standard, "Server-sent
 * events": "Parsing an event stream" and "Interpreting an event stream" (the steps a web browser follows to
 * dispatch an event). It is deliberately independent of {@link SseFrames}: tests encode with one and decode with
 * the other.
 * <ul>
 * <li>Lines end with CRLF, a lone LF or a lone CR; one leading U+FEFF BOM is ignored.</li>
 * <li>A line starting with {@code :} is a comment. Otherwise the field name is everything before the first
 * {@code :} and the value everything after it, less one leading space; a line without {@code :} is a field name
 * with the empty string as value.</li>
 * <li>{@code data} appends the value and an LF to the data buffer; {@code event} sets the event type buffer;
 * {@code id} sets the last event ID buffer unless the value holds NUL; {@code retry} sets the reconnection time
 * when the value is all ASCII digits; any other field is ignored.</li>
 * <li>A blank line dispatches: the last event ID string is set from its buffer whether or not an event is fired;
 * an empty data buffer fires nothing; otherwise one trailing LF is removed and an event is fired whose type is the
 * type buffer, or {@code message} when that is empty. Data and type buffers are then cleared, the last event ID
 * buffer is not.</li>
 * <li>At the end of the stream, an unfinished line and an event not followed by a blank line are discarded.</li>
 * </ul>
 */
final class EventStreamParser {

    private final List<Event> events = new ArrayList<>();

    private final StringBuilder data = new StringBuilder();

    private String eventType = "";

    private String lastEventIdBuffer = "";

    private String lastEventId = "";

    private OptionalLong reconnectionTime = OptionalLong.empty();

    private EventStreamParser() {
    }

    /** Parses a whole stream given as UTF-8 bytes (decoded as the standard says: UTF-8, a leading BOM dropped). */
    static EventStreamParser parse(byte[] stream) {
        return parse(new String(stream, StandardCharsets.UTF_8));
    }

    /** Parses a whole stream of already-decoded text. */
    static EventStreamParser parse(String stream) {
        EventStreamParser parser = new EventStreamParser();
        int start = (!stream.isEmpty() && stream.charAt(0) == '\uFEFF') ? 1 : 0;
        int position = start;
        while (position < stream.length()) {
            char c = stream.charAt(position);
            if (c == '\r' || c == '\n') {
                parser.processLine(stream.substring(start, position));
                if (c == '\r' && position + 1 < stream.length() && stream.charAt(position + 1) == '\n') {
                    position++;
                }
                start = position + 1;
            }
            position++;
        }
        // Whatever follows the last line ending is an unfinished line: the end of the stream discards it, together
        // with any event that was not followed by a blank line.
        return parser;
    }

    /** The events fired, in order. */
    List<Event> events() {
        return List.copyOf(this.events);
    }

    /** The event source's last event ID string after the stream (what a reconnection sends as Last-Event-ID). */
    String lastEventId() {
        return this.lastEventId;
    }

    /** The reconnection time the stream set, if any. */
    OptionalLong reconnectionTime() {
        return this.reconnectionTime;
    }

    private void processLine(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.charAt(0) == ':') {
            return;
        }
        int colon = line.indexOf(':');
        String field;
        String value;
        if (colon >= 0) {
            field = line.substring(0, colon);
            value = line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
        }
        else {
            field = line;
            value = "";
        }
        processField(field, value);
    }

    private void processField(String field, String value) {
        switch (field) {
            case "event" -> this.eventType = value;
            case "data" -> this.data.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    this.lastEventIdBuffer = value;
                }
            }
            case "retry" -> {
                if (isAsciiDigits(value)) {
                    this.reconnectionTime = OptionalLong.of(Long.parseLong(value));
                }
            }
            default -> {
                // The field is ignored.
            }
        }
    }

    private void dispatch() {
        this.lastEventId = this.lastEventIdBuffer;
        if (this.data.length() == 0) {
            this.eventType = "";
            return;
        }
        if (this.data.charAt(this.data.length() - 1) == '\n') {
            this.data.setLength(this.data.length() - 1);
        }
        String type = this.eventType.isEmpty() ? "message" : this.eventType;
        this.events.add(new Event(type, this.data.toString(), this.lastEventId));
        this.data.setLength(0);
        this.eventType = "";
    }

    private static boolean isAsciiDigits(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * A fired event, as a browser's {@code MessageEvent} shows it.
     * @param type the event's type ({@code message} unless an {@code event:} field named another)
     * @param data its data
     * @param lastEventId the event source's last event ID string when it was fired
     */
    record Event(String type, String data, String lastEventId) {
    }

}
