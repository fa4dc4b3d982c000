package io.mcpsession.core;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Timestamps of the domain: UTC instants at millisecond precision, so that every store round-trips them exactly
 * and they are always written with three fraction digits.
 */
public final class Timestamps {

    /** The JSON pattern of every timestamp: ISO-8601 UTC with milliseconds. */
    public static final String PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSX";

    private Timestamps() {
    }

    /** The current instant of {@code clock}, truncated to milliseconds. */
    public static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

}
