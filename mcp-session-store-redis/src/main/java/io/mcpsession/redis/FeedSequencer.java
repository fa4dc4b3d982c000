package io.mcpsession.redis;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.ZSetOperations.TypedTuple;


/**
 * Numbers the global feed after the fact on a Redis Cluster, where a session's keys and the feed's are on
 * different slots and no one script can write both. (On one Redis, the session scripts number their feed entries
 * themselves, see {@code session_lib.lua}; the sequencer then only drains what an instance in queue mode left.)
 * An append (or create, update, delete, expiry) queues its feed entry in its own session's slot, in the same
 * script that commits it; this instance then announces the session in the {@code dirty} set (batched, off the
 * caller's thread). The instance holding the sequencer's lease drains announced sessions in rounds
 * ({@link FeedDrain}): it copies their queued entries into the feed stream with the next feed seqs (in the feed's
 * slot, fenced by the lease), then removes them from their queues (in each session's slot). Entries carry
 * {@code <qe>:<n>} and the feed remembers the last one numbered per session, so a sequencer that stops between
 * the two steps never numbers an entry twice; readers only see numbered entries, so the feed is gap-free. An
 * entry whose announcement was lost (a crash right after the commit) is found by the sweeper, which announces
 * every session it visits with entries still queued.
 * <p>
 * All work runs on one thread: announcements, lease ticks (every second, which also heals lost hints) and
 * draining.
 */
final class FeedSequencer implements AutoCloseable {

    private static final System.Logger logger = System.getLogger(FeedSequencer.class.getName());

    static final Duration LEASE_TTL = Duration.ofSeconds(5);

    private static final Duration TICK = Duration.ofSeconds(1);

    private static final Duration COALESCE = Duration.ofMillis(2);

    private static final int SESSIONS_PER_ROUND = 100;

    private static final int ROUNDS_PER_PUMP = 10;

    private final StoreConnection connection;

    private final FeedDrain drain;

    /** Whether the session scripts number their feed entries themselves: then only leftovers are queued. */
    private final boolean feedInline;

    private final RedisKeys keys;

    private final Lease lease;

    private final Fanout listeners;

    private final Set<String> unannounced = ConcurrentHashMap.newKeySet();

    private final AtomicBoolean pumpScheduled = new AtomicBoolean();

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
        Thread thread = new Thread(runnable, "mcp-session-redis-feed");
        thread.setDaemon(true);
        return thread;
    });

    private volatile boolean holder;

    private boolean failing;

    private volatile @Nullable WakeUps wakeUps;

    FeedSequencer(StoreConnection connection, SessionScripts sessionScripts, RedisKeys keys, String token,
            Fanout listeners, long maxEntries, Clock clock) {
        this.connection = connection;
        this.drain = new FeedDrain(connection, sessionScripts, keys, token, maxEntries, clock);
        this.feedInline = sessionScripts.feedInline();
        this.keys = keys;
        this.lease = new Lease(connection, keys.feedLease(), token, LEASE_TTL);
        this.listeners = listeners;
    }

    /** Starts the lease ticks; hints of other instances go out through {@code wakeUps}. */
    void start(WakeUps wakeUps) {
        this.wakeUps = wakeUps;
        this.executor.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A session's script wrote feed entries: when it numbered them itself, this instance's feed readers wake (the
     * other instances' hear its hint), else the session is announced soon.
     */
    void changed(String sessionId) {
        if (this.feedInline) {
            this.listeners.feedAdvanced(-1);
        }
        else {
            announce(sessionId);
        }
    }

    /** A session's script wrote feed entries and the session leaves the registry: as {@link #changed}, at once. */
    void changedNow(String sessionId) {
        if (this.feedInline) {
            this.listeners.feedAdvanced(-1);
        }
        else {
            announceNow(sessionId);
        }
    }

    /** A session queued feed entries: announce it soon, in a batch, off the caller's thread. */
    void announce(String sessionId) {
        this.unannounced.add(sessionId);
        signal();
    }

    /**
     * A session queued feed entries (or, in inline mode, may have: an expiry behind entries that an instance in
     * queue mode left) and is about to leave the registry: announce it before returning.
     */
    void announceNow(String sessionId) {
        if (this.feedInline) {
            this.listeners.feedAdvanced(-1);
        }
        this.connection.run(RedisScripts.ANNOUNCE, this.keys.feed(), List.of(sessionId));
        wake();
        WakeUps hints = this.wakeUps;
        if (!this.holder && hints != null) {
            hints.publishFeedWork();
        }
    }

    /** Another instance announced sessions. */
    void wake() {
        if (this.holder) {
            signal();
        }
    }

    private void signal() {
        if (this.pumpScheduled.compareAndSet(false, true)) {
            try {
                // A moment's delay lets the changes of busy callers share one announcement and one numbering.
                this.executor.schedule(this::pump, COALESCE.toNanos(), TimeUnit.NANOSECONDS);
            }
            catch (RejectedExecutionException ex) {
                // Closed: the sweeper finds whatever is left in the queues.
            }
        }
    }

    private void tick() {
        try {
            this.holder = this.lease.hold();
        }
        catch (RuntimeException ex) {
            this.holder = false;
            failed(ex);
            return;
        }
        pump();
    }

    private void pump() {
        this.pumpScheduled.set(false);
        try {
            flushAnnouncements();
            if (this.holder) {
                drainAnnounced();
            }
            if (this.failing) {
                this.failing = false;
                logger.log(Level.INFO, "The feed sequencer reaches Redis again");
            }
        }
        catch (RuntimeException ex) {
            failed(ex);
        }
    }

    /** Logs the first failure of a run of them; the next tick retries. */
    private void failed(RuntimeException ex) {
        if (!this.failing) {
            this.failing = true;
            logger.log(Level.WARNING, "The feed sequencer cannot work with Redis; retrying every " + TICK, ex);
        }
    }

    private void flushAnnouncements() {
        if (this.unannounced.isEmpty()) {
            return;
        }
        List<String> batch = new ArrayList<>(this.unannounced);
        this.unannounced.removeAll(batch);
        try {
            this.connection.run(RedisScripts.ANNOUNCE, this.keys.feed(), batch);
        }
        catch (RuntimeException ex) {
            this.unannounced.addAll(batch);
            throw ex;
        }
        WakeUps hints = this.wakeUps;
        if (!this.holder && hints != null) {
            hints.publishFeedWork();
        }
    }

    private void drainAnnounced() {
        long latest = -1;
        for (int round = 0; round < ROUNDS_PER_PUMP; round++) {
            Set<TypedTuple<String>> announced = this.connection
                .call((template) -> template.opsForZSet().rangeWithScores(this.keys.dirty(), 0, SESSIONS_PER_ROUND - 1));
            if (announced == null || announced.isEmpty()) {
                break;
            }
            long drained = roundOrOneByOne(new ArrayList<>(announced));
            if (drained == FeedDrain.LOST) {
                this.holder = false;
                break;
            }
            latest = Math.max(latest, drained);
            if (round == ROUNDS_PER_PUMP - 1) {
                signal();
            }
        }
        if (latest > 0) {
            this.listeners.feedAdvanced(latest);
            WakeUps hints = this.wakeUps;
            if (hints != null) {
                hints.publishFeedAdvanced(latest);
            }
        }
    }

    /** A round; when it fails (not for want of Redis), each session alone, so that one holds up no other. */
    private long roundOrOneByOne(List<TypedTuple<String>> announced) {
        try {
            return this.drain.round(announced);
        }
        catch (RuntimeException ex) {
            if (RedisFailures.isUnavailable(ex) || announced.size() == 1) {
                throw ex;
            }
        }
        long latest = -1;
        for (TypedTuple<String> session : announced) {
            try {
                long drained = this.drain.round(List.of(session));
                if (drained == FeedDrain.LOST) {
                    return drained;
                }
                latest = Math.max(latest, drained);
            }
            catch (RuntimeException ex) {
                if (RedisFailures.isUnavailable(ex)) {
                    throw ex;
                }
                logger.log(Level.ERROR, "Cannot number the feed entries of session '" + session.getValue() + "'", ex);
            }
        }
        return latest;
    }

    @Override
    public void close() {
        // Lets a running round finish (interrupting it would cut a Redis call short); the ticks stop.
        this.executor.shutdown();
        try {
            if (!this.executor.awaitTermination(5, TimeUnit.SECONDS)) {
                this.executor.shutdownNow();
            }
        }
        catch (InterruptedException ex) {
            this.executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        try {
            flushAnnouncements();
            this.lease.release();
        }
        catch (RuntimeException ex) {
            logger.log(Level.DEBUG, "Releasing the feed sequencer failed; its lease lapses by itself", ex);
        }
    }

}
