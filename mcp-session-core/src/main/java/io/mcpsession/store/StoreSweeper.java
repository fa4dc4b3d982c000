package io.mcpsession.store;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Runs a store's {@link SessionStore#sweep() sweep} on a schedule, on one daemon thread. A failed sweep is logged
 * and the next one runs on time.
 */
public final class StoreSweeper implements AutoCloseable {

    private static final System.Logger logger = System.getLogger(StoreSweeper.class.getName());

    private final SessionStore store;

    private final Duration interval;

    private final Consumer<SweepResult> onSweep;

    private final Clock clock;

    private @Nullable ScheduledExecutorService scheduler;

    private volatile @Nullable Instant lastSweep;

    /**
     * @param store the store to sweep
     * @param interval the period between sweeps
     * @param onSweep told what each sweep removed (for metrics)
     */
    public StoreSweeper(SessionStore store, Duration interval, Consumer<SweepResult> onSweep) {
        this(store, interval, onSweep, Clock.systemUTC());
    }

    /**
     * @param store the store to sweep
     * @param interval the period between sweeps
     * @param onSweep told what each sweep removed (for metrics)
     * @param clock the clock that times {@link #lastSweep()}
     */
    public StoreSweeper(SessionStore store, Duration interval, Consumer<SweepResult> onSweep, Clock clock) {
        this.store = store;
        this.interval = interval;
        this.onSweep = onSweep;
        this.clock = clock;
    }

    /** Starts sweeping every interval. */
    public synchronized void start() {
        if (this.scheduler == null) {
            this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
                Thread thread = new Thread(runnable, "mcp-session-sweeper");
                thread.setDaemon(true);
                return thread;
            });
            long period = this.interval.toMillis();
            this.scheduler.scheduleWithFixedDelay(this::sweepOnce, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /** Sweeps now, on the caller's thread. */
    public SweepResult sweepOnce() {
        try {
            SweepResult result = this.store.sweep();
            this.lastSweep = this.clock.instant();
            this.onSweep.accept(result);
            return result;
        }
        catch (RuntimeException ex) {
            logger.log(Level.WARNING, "Sweeping the session store failed; the next sweep will retry", ex);
            return SweepResult.EMPTY;
        }
    }

    /** When the last sweep completed, or {@code null} before the first. */
    public @Nullable Instant lastSweep() {
        return this.lastSweep;
    }

    /** Whether sweeps are scheduled. */
    public synchronized boolean isRunning() {
        return this.scheduler != null;
    }

    @Override
    public synchronized void close() {
        if (this.scheduler != null) {
            this.scheduler.shutdownNow();
            this.scheduler = null;
        }
    }

}
