package io.mcpsession.benchmarks.driver;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Parses one HTTP response carrying an event stream, fed in arbitrary pieces as they arrive: the status line and
 * headers, the chunked transfer coding (or a plain body), then the SSE lines, dispatching each event.
 */
final class SseResponseParser {

    /** Hears each dispatched event. */
    interface Events {

        void event(String id, String type, String data);

    }

    private enum Chunk {
        SIZE, DATA, DATA_END
    }

    private final Events events;

    private final ByteArrayOutputStream head = new ByteArrayOutputStream(512);

    private final StringBuilder chunkSize = new StringBuilder(8);

    private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);

    /** CR LF CR LF: the last four bytes of a response head. */
    private static final int END_OF_HEAD = 0x0D0A0D0A;

    private int headTail;

    private boolean headDone;

    private int status;

    private boolean chunked;

    private Chunk chunk = Chunk.SIZE;

    private int chunkRemaining;

    private String id;

    private String type;

    private StringBuilder data;

    SseResponseParser(Events events) {
        this.events = events;
    }

    /** The response status, or 0 before the headers arrived. */
    int status() {
        return this.status;
    }

    /** Consumes every remaining byte of {@code bytes}. */
    void feed(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (!this.headDone) {
                head(b);
            }
            else if (this.chunked) {
                chunked(b);
            }
            else {
                body(b);
            }
        }
    }

    private void head(byte b) {
        this.head.write(b);
        this.headTail = (this.headTail << 8) | (b & 0xFF);
        if (this.headTail == END_OF_HEAD) {
            String text = this.head.toString(StandardCharsets.ISO_8859_1);
            this.status = Integer.parseInt(text.substring(9, 12));
            this.chunked = text.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked");
            this.headDone = true;
        }
    }

    private void chunked(byte b) {
        switch (this.chunk) {
            case SIZE -> {
                if (b == '\n') {
                    String size = this.chunkSize.toString().strip();
                    this.chunkSize.setLength(0);
                    if (!size.isEmpty()) {
                        this.chunkRemaining = Integer.parseInt(size.split(";")[0], 16);
                        this.chunk = (this.chunkRemaining > 0) ? Chunk.DATA : Chunk.DATA_END;
                    }
                }
                else if (b != '\r') {
                    this.chunkSize.append((char) b);
                }
            }
            case DATA -> {
                body(b);
                if (--this.chunkRemaining == 0) {
                    this.chunk = Chunk.DATA_END;
                }
            }
            case DATA_END -> {
                if (b == '\n') {
                    this.chunk = Chunk.SIZE;
                }
            }
        }
    }

    private void body(byte b) {
        if (b != '\n') {
            this.line.write(b);
            return;
        }
        byte[] bytes = this.line.toByteArray();
        int length = (bytes.length > 0 && bytes[bytes.length - 1] == '\r') ? bytes.length - 1 : bytes.length;
        this.line.reset();
        if (length == 0) {
            dispatch();
            return;
        }
        String text = new String(bytes, 0, length, StandardCharsets.UTF_8);
        int colon = text.indexOf(':');
        String field = (colon >= 0) ? text.substring(0, colon) : text;
        String value = (colon >= 0) ? text.substring(colon + 1) : "";
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "id" -> this.id = value;
            case "event" -> this.type = value;
            case "data" -> {
                if (this.data == null) {
                    this.data = new StringBuilder(value);
                }
                else {
                    this.data.append('\n').append(value);
                }
            }
            default -> {
                // retry, comments: nothing to record.
            }
        }
    }

    private void dispatch() {
        if (this.data != null) {
            this.events.event(this.id, (this.type != null) ? this.type : "message", this.data.toString());
        }
        // The last event id persists across events, as a browser's does; type and data do not.
        this.type = null;
        this.data = null;
    }

}
