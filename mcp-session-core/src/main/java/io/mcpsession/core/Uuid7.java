package io.mcpsession.core;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * UUIDv7 strings (RFC 9562): a millisecond timestamp followed by random bits, so ids sort by creation time.
 */
public final class Uuid7 {

    private static final SecureRandom SECURE = new SecureRandom();

    private Uuid7() {
    }

    /** An unguessable UUIDv7, for ids that grant access (sessions). */
    public static String secure(Instant now) {
        return generate(now, SECURE);
    }

    /** A UUIDv7 from a fast random source, for ids that only need to be unique (events). */
    public static String fast(Instant now) {
        return generate(now, ThreadLocalRandom.current());
    }

    private static String generate(Instant now, Random random) {
        long msb = (now.toEpochMilli() << 16) | (0x7L << 12) | random.nextInt(1 << 12);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

}
