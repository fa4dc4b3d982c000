package io.mcpsession.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.SessionIds;

/**
 * Session ids that callers with a principal choose live in that principal's own namespace: the stored id is the
 * chosen one, {@code ~} and a tag of the principal (16 hex digits of its SHA-256). Two principals may choose the
 * same id, and no create reveals that another principal chose it (SPEC §8). Anonymous callers' ids are stored as
 * chosen; an id ending like a tag is reserved for the namespaces.
 */
final class PrincipalIds {

    private static final int TAG_LENGTH = 17;

    /** The longest id a caller with a principal may choose: the tag must fit in a session id. */
    static final int MAX_CHOSEN_LENGTH = SessionIds.MAX_LENGTH - TAG_LENGTH;

    private PrincipalIds() {
    }

    /** The stored id of {@code id} as chosen by {@code principal}. */
    static String qualify(String principal, String id) {
        return id + tag(principal);
    }

    /** Whether {@code id} may be chosen by {@code principal}, and its stored form would be a valid id. */
    static boolean fits(String id) {
        return id.length() <= MAX_CHOSEN_LENGTH;
    }

    /**
     * Checks an id chosen by a caller and returns the id to store.
     * @throws McpSessionException {@code INVALID_SESSION_ID}
     */
    static String toStore(String chosen, @Nullable String principal) {
        SessionIds.requireValid(chosen);
        if (principal == null) {
            if (isQualified(chosen)) {
                throw new McpSessionException(ErrorCode.INVALID_SESSION_ID,
                        "Invalid session id: an id ending in '~' and 16 hexadecimal digits is reserved");
            }
            return chosen;
        }
        if (!fits(chosen)) {
            throw new McpSessionException(ErrorCode.INVALID_SESSION_ID, "Invalid session id: a session id has 1 to "
                    + MAX_CHOSEN_LENGTH + " characters when the caller has a principal");
        }
        return qualify(principal, chosen);
    }

    private static boolean isQualified(String id) {
        int tilde = id.length() - TAG_LENGTH;
        if (tilde < 0 || id.charAt(tilde) != '~') {
            return false;
        }
        for (int i = tilde + 1; i < id.length(); i++) {
            if (Character.digit(id.charAt(i), 16) < 0 || Character.isUpperCase(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String tag(String principal) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(principal.getBytes(StandardCharsets.UTF_8));
            return "~" + HexFormat.of().formatHex(digest, 0, 8);
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", ex);
        }
    }

}
