package io.mcpsession.benchmarks.driver;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] ID = "id:".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] EVENT = "event:".getBytes(StandardCharsets.US_ASCII);

    /** The line being read: a plain array, as the parser runs on one thread. */
    private byte[] line = new byte[512];

    private int lineLength;

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
            if (!this.headDone) {
                head(bytes.get());
            }
            else if (!this.chunked) {
                body(bytes, bytes.remaining());
            }
            else if (this.chunk == Chunk.DATA) {
                int length = Math.min(bytes.remaining(), this.chunkRemaining);
                body(bytes, length);
                this.chunkRemaining -= length;
                if (this.chunkRemaining == 0) {
                    this.chunk = Chunk.DATA_END;
                }
            }
            else {
                chunked(bytes.get());
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
            case DATA -> throw new IllegalStateException("A chunk's data is read in bulk");
            case DATA_END -> {
                if (b == '\n') {
                    this.chunk = Chunk.SIZE;
                }
            }
        }
    }

    /** Consumes the next {@code length} bytes of the body, a line at a time. */
    private void body(ByteBuffer bytes, int length) {
        for (int i = 0; i < length; i++) {
            byte b = bytes.get();
            if (b == '\n') {
                line();
            }
            else {
                if (this.lineLength == this.line.length) {
                    this.line = Arrays.copyOf(this.line, this.line.length * 2);
                }
                this.line[this.lineLength++] = b;
            }
        }
    }

    private void line() {
        int length = (this.lineLength > 0 && this.line[this.lineLength - 1] == '\r') ? this.lineLength - 1
                : this.lineLength;
        this.lineLength = 0;
        if (length == 0) {
            dispatch();
            return;
        }
        if (startsWith(DATA, length)) {
            String value = value(DATA.length, length);
            if (this.data == null) {
                this.data = new StringBuilder(value);
            }
            else {
                this.data.append('\n').append(value);
            }
        }
        else if (startsWith(ID, length)) {
            this.id = value(ID.length, length);
        }
        else if (startsWith(EVENT, length)) {
            this.type = value(EVENT.length, length);
        }
        // retry, comments: nothing to record.
    }

    private boolean startsWith(byte[] field, int length) {
        return length >= field.length && Arrays.equals(this.line, 0, field.length, field, 0, field.length);
    }

    /** The line's value after its field name and colon, without the one space that may follow the colon. */
    private String value(int from, int length) {
        int start = (from < length && this.line[from] == ' ') ? from + 1 : from;
        return new String(this.line, start, length - start, StandardCharsets.UTF_8);
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
