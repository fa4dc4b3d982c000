package io.mcpsession.core;

import org.jspecify.annotations.Nullable;

/**
 * A reader's resume point: a seq, optionally qualified by the epoch it belongs to. Its token, used as the SSE
 * {@code id:}, is {@code <epoch>:<seq>}; a bare {@code <seq>} means "in the current epoch".
 *
 * @param epoch the epoch, or {@code null} for the current one
 * @param seq the last seq the reader has seen (0 for none)
 */
public record Cursor(@Nullable String epoch, long seq) {

    private static final int MAX_TOKEN_LENGTH = 128;

    public Cursor {
        if (seq < 0) {
            throw invalid("a cursor's seq is never negative");
        }
        if (epoch != null && !Epochs.isWellFormed(epoch)) {
            throw invalid("malformed epoch");
        }
    }

    /** A cursor at {@code seq} of {@code epoch}. */
    public static Cursor of(@Nullable String epoch, long seq) {
        return new Cursor(epoch, seq);
    }

    /**
     * Parses a token: {@code <epoch>:<seq>} or a bare {@code <seq>}.
     * @throws McpSessionException {@code INVALID_CURSOR} when it is malformed
     */
    public static Cursor parse(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw invalid("malformed cursor");
        }
        int colon = token.lastIndexOf(':');
        String epoch = (colon >= 0) ? token.substring(0, colon) : null;
        return new Cursor(epoch, parseSeq(token.substring(colon + 1)));
    }

    /**
     * Parses a bare seq such as an {@code after} parameter.
     * @throws McpSessionException {@code INVALID_CURSOR} when it is not a non-negative number
     */
    public static long parseSeq(String text) {
        if (text.isEmpty() || text.length() > 19) {
            throw invalid("malformed cursor");
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                throw invalid("malformed cursor");
            }
        }
        try {
            return Long.parseLong(text);
        }
        catch (NumberFormatException ex) {
            throw invalid("malformed cursor");
        }
    }

    /** The token of this cursor. */
    public String token() {
        return (this.epoch != null) ? this.epoch + ":" + this.seq : Long.toString(this.seq);
    }

    private static McpSessionException invalid(String message) {
        return new McpSessionException(ErrorCode.INVALID_CURSOR, "Invalid cursor: " + message);
    }

}
