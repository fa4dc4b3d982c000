package io.mcpsession.core;

/**
 * A one-pass check of JSON text that accepts only a strict subset of what Jackson accepts: RFC 8259 JSON well
 * inside Jackson's default {@code StreamReadConstraints}. Creating a Jackson parser cost four times the parsing of a
 * typical event's data and a third of an in-memory append, so {@link JsonText#compact(String)} asks this first and
 * leaves to Jackson everything it does not vouch for, errors included (their messages come from Jackson alone).
 */
final class StrictJsonScanner {

    /** Text this scanner does not vouch for: Jackson decides. */
    static final int UNKNOWN = -1;

    /** One well-formed JSON value with no whitespace outside strings. */
    static final int COMPACT = 0;

    /** One well-formed JSON value with whitespace to strip. */
    static final int SPACED = 1;

    // Far below Jackson's defaults (nesting 500, numbers 1,000 characters, names 50,000): past them, Jackson decides.
    private static final int MAX_DEPTH = 64;

    private static final int MAX_NUMBER_LENGTH = 100;

    private static final int MAX_STRING_LENGTH = 10_000;

    private final String json;

    private int position;

    private boolean spaced;

    private StrictJsonScanner(String json) {
        this.json = json;
    }

    /** {@link #COMPACT}, {@link #SPACED} or {@link #UNKNOWN} for {@code json}. */
    static int scan(String json) {
        StrictJsonScanner scanner = new StrictJsonScanner(json);
        scanner.skipWhitespace();
        if (!scanner.value(0)) {
            return UNKNOWN;
        }
        scanner.skipWhitespace();
        if (scanner.position != json.length()) {
            return UNKNOWN;
        }
        return scanner.spaced ? SPACED : COMPACT;
    }

    private boolean value(int depth) {
        if (this.position >= this.json.length()) {
            return false;
        }
        char c = this.json.charAt(this.position);
        return switch (c) {
            case '{' -> depth < MAX_DEPTH && object(depth + 1);
            case '[' -> depth < MAX_DEPTH && array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> (c == '-' || isDigit(c)) && number();
        };
    }

    private boolean object(int depth) {
        this.position++;
        skipWhitespace();
        if (next('}')) {
            return true;
        }
        do {
            skipWhitespace();
            if (!at('"') || !string()) {
                return false;
            }
            skipWhitespace();
            if (!next(':')) {
                return false;
            }
            skipWhitespace();
            if (!value(depth)) {
                return false;
            }
            skipWhitespace();
        }
        while (next(','));
        return next('}');
    }

    private boolean array(int depth) {
        this.position++;
        skipWhitespace();
        if (next(']')) {
            return true;
        }
        do {
            skipWhitespace();
            if (!value(depth)) {
                return false;
            }
            skipWhitespace();
        }
        while (next(','));
        return next(']');
    }

    private boolean string() {
        int start = this.position++;
        int end = Math.min(this.json.length(), start + MAX_STRING_LENGTH);
        while (this.position < end) {
            char c = this.json.charAt(this.position++);
            if (c == '"') {
                return true;
            }
            if (c < 0x20) {
                return false;
            }
            if (c == '\\' && !escape()) {
                return false;
            }
        }
        return false;
    }

    /** The rest of an escape sequence, after its backslash. */
    private boolean escape() {
        if (this.position >= this.json.length()) {
            return false;
        }
        char c = this.json.charAt(this.position++);
        if (c != 'u') {
            return c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't';
        }
        if (this.position + 4 > this.json.length()) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            if (!isHexDigit(this.json.charAt(this.position++))) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}. What follows a scalar is checked by its caller, which
     * takes only whitespace, a structural character or the end: so "01" and "1x" are left to Jackson.
     */
    private boolean number() {
        int start = this.position;
        next('-');
        if (!next('0') && digits() == 0) {
            return false;
        }
        if (next('.') && digits() == 0) {
            return false;
        }
        if (next('e') || next('E')) {
            if (!next('+')) {
                next('-');
            }
            if (digits() == 0) {
                return false;
            }
        }
        return this.position - start <= MAX_NUMBER_LENGTH;
    }

    private int digits() {
        int start = this.position;
        while (this.position < this.json.length() && isDigit(this.json.charAt(this.position))) {
            this.position++;
        }
        return this.position - start;
    }

    private boolean literal(String literal) {
        if (!this.json.startsWith(literal, this.position)) {
            return false;
        }
        this.position += literal.length();
        return true;
    }

    private void skipWhitespace() {
        int start = this.position;
        while (this.position < this.json.length() && isWhitespace(this.json.charAt(this.position))) {
            this.position++;
        }
        this.spaced |= this.position > start;
    }

    private boolean at(char c) {
        return this.position < this.json.length() && this.json.charAt(this.position) == c;
    }

    private boolean next(char c) {
        if (at(c)) {
            this.position++;
            return true;
        }
        return false;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** ASCII only: {@code Character.digit} also takes the digits of other scripts. */
    private static boolean isHexDigit(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
    }

}
