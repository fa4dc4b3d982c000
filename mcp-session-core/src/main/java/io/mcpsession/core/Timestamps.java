package io.mcpsession.core;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.chrono.IsoChronology;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;

/**
 * Timestamps of the domain: UTC instants at millisecond precision, so that every store round-trips them exactly
 * and they are always written with three fraction digits.
 */
public final class Timestamps {

    /** The JSON pattern of every timestamp: ISO-8601 UTC with milliseconds. */
    public static final String PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSX";

    /** The earliest timestamp an event may carry: the JSON pattern writes years 0001 to 9999 only. */
    public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");

    /** The latest timestamp an event may carry. */
    public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999Z");

    /** RFC 3339 date-time: seconds required, any fraction, {@code Z} or a numeric offset, {@code T} in any case. */
    private static final DateTimeFormatter RFC_3339 = new DateTimeFormatterBuilder().parseCaseInsensitive()
        .append(DateTimeFormatter.ISO_LOCAL_DATE)
        .appendLiteral('T')
        .appendPattern("HH:mm:ss")
        .optionalStart()
        .appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true)
        .optionalEnd()
        .appendOffset("+HH:MM", "Z")
        .toFormatter()
        .withResolverStyle(ResolverStyle.STRICT)
        .withChronology(IsoChronology.INSTANCE);

    private Timestamps() {
    }

    /** The current instant of {@code clock}, truncated to milliseconds. */
    public static Instant now(Clock clock) {
        // The clock's milliseconds, as truncatedTo would give them, without building a second Instant on every append.
        return Instant.ofEpochMilli(clock.millis());
    }

    /**
     * Parses a producer's timestamp: an RFC 3339 date-time with any offset, as a UTC instant truncated to
     * milliseconds.
     * @throws McpSessionException {@code INVALID_REQUEST} for anything else, or a year outside 0001 to 9999
     */
    public static Instant parse(String field, String text) {
        Instant instant;
        try {
            instant = OffsetDateTime.parse(text, RFC_3339).toInstant();
        }
        catch (DateTimeParseException ex) {
            throw McpSessionException.invalidRequest("'" + field
                    + "' must be an RFC 3339 date-time such as 2026-01-02T03:04:05.678+02:00");
        }
        return requireStorable(field, instant);
    }

    /**
     * Checks that a producer's timestamp lies between {@link #MIN} and {@link #MAX}, and truncates it to
     * milliseconds.
     * @throws McpSessionException {@code INVALID_REQUEST} otherwise
     */
    public static Instant requireStorable(String field, Instant timestamp) {
        Instant millis = timestamp.truncatedTo(ChronoUnit.MILLIS);
        if (millis.isBefore(MIN) || millis.isAfter(MAX)) {
            throw McpSessionException.invalidRequest("'" + field + "' must lie in the years 0001 to 9999");
        }
        return millis;
    }

}
