package io.mcpsession.benchmarks.driver;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Parses HTTP/1.1 responses on one connection, fed in arbitrary pieces as they arrive, and tells when each
 * one is complete. Bodies are skipped, by {@code Content-Length} or the chunked coding.
 */
final class ResponseParser {

    private enum State {
        HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILER
    }

    private final StringBuilder line = new StringBuilder(128);

    private State state = State.HEAD;

    private int status;

    private long remaining;

    private boolean chunked;

    /**
     * Consumes bytes up to the end of the current response.
     * @return the status of the response completed by these bytes, or 0 when it is not complete yet
     */
    int feed(ByteBuffer bytes) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            switch (this.state) {
                case HEAD, CHUNK_SIZE, TRAILER -> {
                    if (b != '\n') {
                        if (b != '\r') {
                            this.line.append((char) b);
                        }
                        continue;
                    }
                    String text = this.line.toString();
                    this.line.setLength(0);
                    int done = endOfLine(text);
                    if (done != 0) {
                        return done;
                    }
                }
                case BODY -> {
                    if (--this.remaining == 0) {
                        return complete();
                    }
                }
                case CHUNK_DATA -> {
                    if (--this.remaining == 0) {
                        this.state = State.CHUNK_END;
                    }
                }
                case CHUNK_END -> {
                    if (b == '\n') {
                        this.state = State.CHUNK_SIZE;
                    }
                }
            }
        }
        return 0;
    }

    private int endOfLine(String text) {
        switch (this.state) {
            case HEAD -> {
                if (this.status == 0) {
                    this.status = Integer.parseInt(text.substring(9, 12));
                    this.remaining = 0;
                    this.chunked = false;
                }
                else if (!text.isEmpty()) {
                    String lower = text.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        this.remaining = Long.parseLong(text.substring(15).strip());
                    }
                    else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                        this.chunked = true;
                    }
                }
                else if (this.chunked) {
                    this.state = State.CHUNK_SIZE;
                }
                else if (this.remaining > 0) {
                    this.state = State.BODY;
                }
                else {
                    return complete();
                }
            }
            case CHUNK_SIZE -> {
                long size = Long.parseLong(text.split(";")[0].strip(), 16);
                if (size == 0) {
                    this.state = State.TRAILER;
                }
                else {
                    this.remaining = size;
                    this.state = State.CHUNK_DATA;
                }
            }
            case TRAILER -> {
                if (text.isEmpty()) {
                    return complete();
                }
            }
            default -> throw new IllegalStateException("Not at a line: " + this.state);
        }
        return 0;
    }

    private int complete() {
        int done = this.status;
        this.status = 0;
        this.state = State.HEAD;
        return done;
    }

    /** The bytes of a GET request on a kept-alive connection. */
    static ByteBuffer get(String path) {
        String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n";
        return ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
    }

}
