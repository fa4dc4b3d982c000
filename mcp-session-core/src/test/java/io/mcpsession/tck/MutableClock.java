package io.mcpsession.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A thread-safe {@link Clock} that stands still until a test moves it. Views made by {@link #withZone(ZoneId)}
 * share the instant of the clock they came from, so advancing one advances them all.
 */
public final class MutableClock extends Clock {

    private final AtomicReference<Instant> instant;

    private final ZoneId zone;

    /** A clock in UTC that reads {@code start} until it is moved. */
    public MutableClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    private MutableClock(AtomicReference<Instant> instant, ZoneId zone) {
        this.instant = instant;
        this.zone = zone;
    }

    /**
     * A clock that starts at the current wall-clock second plus {@code 123.456789} ms, so that a store that
     * forgets to truncate timestamps to milliseconds shows it.
     */
    public static MutableClock startingNow() {
        return new MutableClock(Instant.ofEpochSecond(Instant.now().getEpochSecond(), 123_456_789));
    }

    @Override
    public Instant instant() {
        return this.instant.get();
    }

    @Override
    public long millis() {
        return instant().toEpochMilli();
    }

    @Override
    public ZoneId getZone() {
        return this.zone;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new MutableClock(this.instant, Objects.requireNonNull(zone, "zone"));
    }

    /**
     * Moves the clock forward.
     * @return the new instant
     */
    public Instant advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("A MutableClock only moves forward");
        }
        return this.instant.updateAndGet((now) -> now.plus(duration));
    }

    /** Sets the clock to {@code instant}. */
    public void set(Instant instant) {
        this.instant.set(Objects.requireNonNull(instant, "instant"));
    }

    @Override
    public String toString() {
        return "MutableClock[" + instant() + "," + this.zone + "]";
    }

}
