package io.mcpsession.web;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Counts creations per caller in fixed one-minute windows. The counts of a window go with it, so memory holds
 * one window's callers at most.
 */
final class PerCallerCreationLimiter implements SessionCreationLimiter {

    private static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int perMinute;

    private final LongSupplier nanoTime;

    private final Map<String, Integer> counts = new HashMap<>();

    private long windowStart;

    PerCallerCreationLimiter(int perMinute, LongSupplier nanoTime) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("A creation limit must be positive");
        }
        this.perMinute = perMinute;
        this.nanoTime = nanoTime;
        this.windowStart = nanoTime.getAsLong();
    }

    @Override
    public boolean tryAcquire(HttpServletRequest request) {
        String caller = (request.getUserPrincipal() != null) ? "principal:" + request.getUserPrincipal().getName()
                : "address:" + request.getRemoteAddr();
        synchronized (this.counts) {
            long now = this.nanoTime.getAsLong();
            if (now - this.windowStart >= WINDOW_NANOS) {
                this.counts.clear();
                this.windowStart = now;
            }
            int count = this.counts.merge(caller, 1, Integer::sum);
            if (count > this.perMinute) {
                this.counts.put(caller, this.perMinute);
                return false;
            }
            return true;
        }
    }

}
