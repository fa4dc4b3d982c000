package io.mcpsession.core;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Session ids: generated as UUIDv7 (time-ordered and unguessable), or chosen by the caller within the rules of
 * the contract (1–128 visible ASCII characters, one path segment).
 */
public final class SessionIds {

    /** The longest id a caller may choose. */
    public static final int MAX_LENGTH = 128;

    private static final Set<String> RESERVED = Set.of(".", "..", "feed", "console");

    private static final String FORBIDDEN = "/\\;%?#";

    private SessionIds() {
    }

    /** A new unguessable UUIDv7 whose timestamp is {@code now}. */
    public static String generate(Instant now) {
        return Uuid7.secure(now);
    }

    /**
     * Checks a caller's id.
     * @throws McpSessionException {@code INVALID_SESSION_ID} when it breaks the rules
     */
    public static String requireValid(String id) {
        if (id.isEmpty() || id.length() > MAX_LENGTH) {
            throw invalid("a session id has 1 to " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c < 0x21 || c > 0x7E || FORBIDDEN.indexOf(c) >= 0) {
                throw invalid("a session id is visible ASCII without / \\ ; % ? #");
            }
        }
        if (RESERVED.contains(id)) {
            throw invalid("'" + id + "' is reserved");
        }
        return id;
    }

    /** The creation instant encoded in a generated id, if {@code id} is a UUIDv7. */
    public static Optional<Instant> timestampOf(String id) {
        if (id.length() != 36) {
            return Optional.empty();
        }
        try {
            UUID uuid = UUID.fromString(id);
            if (uuid.version() != 7 || !uuid.toString().equals(id)) {
                return Optional.empty();
            }
            return Optional.of(Instant.ofEpochMilli(uuid.getMostSignificantBits() >>> 16));
        }
        catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }

    private static McpSessionException invalid(String message) {
        return new McpSessionException(ErrorCode.INVALID_SESSION_ID, "Invalid session id: " + message);
    }

}
