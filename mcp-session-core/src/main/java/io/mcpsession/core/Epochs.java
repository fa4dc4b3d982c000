package io.mcpsession.core;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Epoch names: random, short, and safe inside a cursor token.
 */
public final class Epochs {

    private static final int MAX_LENGTH = 64;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Epochs() {
    }

    /** A new epoch name, unique with overwhelming probability. */
    public static String next() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Whether {@code epoch} could be an epoch name: 1–64 of {@code A-Z a-z 0-9 _ -}. */
    public static boolean isWellFormed(String epoch) {
        if (epoch.isEmpty() || epoch.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < epoch.length(); i++) {
            char c = epoch.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                    || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

}
