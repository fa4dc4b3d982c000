package io.mcpsession.core;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Epoch names: random, short, and safe inside a cursor token.
 */
public final class Epochs {

    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final SecureRandom RANDOM = new SecureRandom();

    private Epochs() {
    }

    /** A new epoch name, unique with overwhelming probability. */
    public static String next() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Whether {@code epoch} could be an epoch name. */
    public static boolean isWellFormed(String epoch) {
        return WELL_FORMED.matcher(epoch).matches();
    }

}
