package io.mcpsession.core;

/**
 * The fixed bounds of the contract and their checks; configurable limits live in the store's settings.
 */
public final class Limits {

    /** The longest event id, type, run id or state key. */
    public static final int MAX_NAME_LENGTH = 256;

    /** The default number of items of one read. */
    public static final int DEFAULT_READ_LIMIT = 100;

    /** The largest number of items of one read. */
    public static final int MAX_READ_LIMIT = 1000;

    private Limits() {
    }

    /**
     * Checks an event id, type, run id or state key: 1 to 256 characters, none of them a control character (a
     * type becomes an SSE {@code event:} line, which a line break would split).
     * @throws McpSessionException {@code INVALID_REQUEST} otherwise
     */
    public static String requireName(String field, String value) {
        if (value.isEmpty() || value.length() > MAX_NAME_LENGTH) {
            throw McpSessionException.invalidRequest("'" + field + "' must have 1 to " + MAX_NAME_LENGTH + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw McpSessionException.invalidRequest("'" + field + "' cannot hold control characters");
            }
        }
        return value;
    }

    /**
     * Checks the {@code limit} of a read: 1 to 1000.
     * @throws McpSessionException {@code INVALID_REQUEST} otherwise
     */
    public static int requireReadLimit(int limit) {
        if (limit < 1 || limit > MAX_READ_LIMIT) {
            throw McpSessionException.invalidRequest("'limit' must be between 1 and " + MAX_READ_LIMIT);
        }
        return limit;
    }

}
