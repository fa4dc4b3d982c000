package io.mcpsession.web;

import java.util.function.Consumer;

/**
 * A parser of {@code text/event-stream} lines that follows the HTML Living Standard ("Server-sent events",
 * interpreting an event stream), fed one line at a time (lines already split at CRLF, LF or CR). Besides
 * dispatched events it reports what a test wants to observe: each comment (so keepalives can be asserted) and
 * each valid {@code retry:} field, in stream order.
 */
final class EventStreamParser {

    /** Something observed on a stream. */
    sealed interface Item permits Comment, Retry, Event {
    }

    /** A comment line; {@code text} is what follows the colon, without one leading space. */
    record Comment(String text) implements Item {
    }

    /** A valid {@code retry:} field. */
    record Retry(long millis) implements Item {
    }

    /**
     * A dispatched event.
     *
     * @param id the value of the {@code id:} field of this event's own frame, or {@code null} when the frame had none
     * @param lastEventId the stream's last event ID after this frame (what a reconnecting client would send)
     * @param type the event type ({@code message} by default)
     * @param data the data, lines joined with LF
     */
    record Event(String id, String lastEventId, String type, String data) implements Item {
    }

    private final Consumer<Item> sink;

    private final StringBuilder data = new StringBuilder();

    private String eventType = "";

    private String lastEventId = "";

    private String frameId;

    private boolean first = true;

    EventStreamParser(Consumer<Item> sink) {
        this.sink = sink;
    }

    String lastEventId() {
        return this.lastEventId;
    }

    /** Processes one line (without its terminator). */
    void line(String line) {
        if (this.first) {
            this.first = false;
            if (line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
        }
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.charAt(0) == ':') {
            String text = line.substring(1);
            this.sink.accept(new Comment(text.startsWith(" ") ? text.substring(1) : text));
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
        switch (field) {
            case "event" -> this.eventType = value;
            case "data" -> this.data.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    this.lastEventId = value;
                    this.frameId = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch((c) -> c >= '0' && c <= '9')) {
                    this.sink.accept(new Retry(Long.parseLong(value)));
                }
            }
            default -> {
                // Ignored, as the standard says.
            }
        }
    }

    /** The end of the stream: a pending, undispatched event is discarded. */
    void end() {
        this.data.setLength(0);
        this.eventType = "";
        this.frameId = null;
    }

    private void dispatch() {
        String id = this.frameId;
        this.frameId = null;
        if (this.data.length() == 0) {
            this.eventType = "";
            return;
        }
        String payload = this.data.substring(0, this.data.length() - 1);
        String type = this.eventType.isEmpty() ? "message" : this.eventType;
        this.data.setLength(0);
        this.eventType = "";
        this.sink.accept(new Event(id, this.lastEventId, type, payload));
    }

}
