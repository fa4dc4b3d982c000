package io.mcpsession.benchmarks.driver;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The load driver's waits: for a condition the driver cannot be told about (connections the server has
 * accepted), checked every millisecond up to a deadline, and a pause between paced requests.
 */
public final class Pacing {

    private Pacing() {
    }

    /**
     * Waits until {@code condition} holds.
     * @throws IllegalStateException when it does not within {@code timeout}
     */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out after " + timeout + " waiting for " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /**
     * Waits for a latch.
     * @throws IllegalStateException when it does not open within {@code timeout}
     */
    public static void await(CountDownLatch latch, Duration timeout, String what) {
        try {
            if (!latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Timed out after " + timeout + " waiting for " + what + " ("
                        + latch.getCount() + " missing)");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted waiting for " + what, ex);
        }
    }

    /** Pauses the driver between paced requests. */
    public static void pause(Duration pause) {
        LockSupport.parkNanos(pause.toNanos());
    }

}
