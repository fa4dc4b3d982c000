package io.mcpsession.dynamodb;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.LogPosition;
import io.mcpsession.store.ListenerRegistry;
import io.mcpsession.store.Subscription;

/**
 * Wakes this instance's readers for changes made by other instances, without Streams: every poll interval, one
 * {@code BatchGetItem} of the heads of the sessions that have readers here (100 a request) compares the seq each
 * head reports with what was seen last, and notices removed sessions; nobody waiting, no request. The same
 * thread numbers the feed (at once after a local change, else every interval) and tells feed readers when it
 * moved. The store stays the truth: a wake-up is only ever a reason to read.
 */
final class DynamoDbWakeUps implements AutoCloseable {

    private static final System.Logger logger = System.getLogger(DynamoDbWakeUps.class.getName());

    private static final long NUMBERING_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    /** A watched session: its readers here, the seq seen last, its epoch, whether its head was found gone. */
    private record Watch(AtomicInteger readers, AtomicLong latest, String[] epoch, AtomicBoolean gone) {
    }

    private final Requests requests;

    private final String sessions;

    private final ListenerRegistry listeners;

    private final DynamoDbFeed feed;

    private final Clock clock;

    private final ScheduledExecutorService scheduler;

    private final Map<String, Watch> watched = new ConcurrentHashMap<>();

    /** The feed position reported last, or {@code null} before the first. */
    private @Nullable LogPosition feedReported;

    private final AtomicBoolean numberingScheduled = new AtomicBoolean();

    private volatile long lastNumbering = System.nanoTime() - NUMBERING_GAP_NANOS;

    DynamoDbWakeUps(Requests requests, String sessions, ListenerRegistry listeners, DynamoDbFeed feed, Clock clock,
            Duration pollInterval) {
        this.requests = requests;
        this.sessions = sessions;
        this.listeners = listeners;
        this.feed = feed;
        this.clock = clock;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (runnable) -> {
            Thread thread = new Thread(runnable, "mcp-session-dynamodb-wakeups");
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.scheduler = executor;
        long period = Math.max(10, pollInterval.toMillis());
        this.scheduler.scheduleWithFixedDelay(this::poll, period, period, TimeUnit.MILLISECONDS);
    }

    /** Watches a session for as long as {@code subscription} is open. */
    Subscription watch(String sessionId, Subscription subscription) {
        Watch watch = this.watched.compute(sessionId, (id, existing) -> {
            Watch current = (existing != null) ? existing
                    : new Watch(new AtomicInteger(), new AtomicLong(-1), new String[1], new AtomicBoolean());
            current.readers().incrementAndGet();
            return current;
        });
        if (watch.latest().get() < 0) {
            // The baseline is read now, so an append between the subscription and the first check is reported.
            SessionHead head = SessionHead.of(this.requests.get(this.sessions, SessionKeys.head(sessionId)));
            synchronized (watch) {
                if (watch.epoch()[0] == null && head != null) {
                    watch.epoch()[0] = head.epoch();
                }
            }
            watch.latest().compareAndSet(-1, (head != null) ? head.reported() : 0);
        }
        AtomicBoolean closed = new AtomicBoolean();
        return () -> {
            if (closed.compareAndSet(false, true)) {
                subscription.close();
                this.watched.computeIfPresent(sessionId,
                        (id, current) -> (current.readers().decrementAndGet() == 0) ? null : current);
            }
        };
    }

    /** Reports this instance's committed append at once. */
    void appended(String sessionId, long latest, List<EventRecord> events) {
        Watch watch = this.watched.get(sessionId);
        if (watch != null) {
            watch.latest().accumulateAndGet(latest, Math::max);
        }
        this.listeners.appended(sessionId, latest, events);
    }

    /** Reports that a session ended, once, however many paths noticed it. */
    void closed(String sessionId, CloseReason reason) {
        if (this.watched.remove(sessionId) != null) {
            this.listeners.closed(sessionId, reason);
        }
    }

    /** Something for the feed (or, without one, for the claims): number it soon, off the caller's thread, in rounds at least 50 ms apart (under load one round numbers many). */
    void feedChanged() {
        if (this.numberingScheduled.compareAndSet(false, true)) {
            long sinceLast = System.nanoTime() - this.lastNumbering;
            try {
                this.scheduler.schedule(() -> {
                    this.lastNumbering = System.nanoTime();
                    this.numberingScheduled.set(false);
                    numberFeed();
                }, Math.max(0, NUMBERING_GAP_NANOS - sinceLast), TimeUnit.NANOSECONDS);
            }
            catch (RejectedExecutionException ex) {
                // Closed.
            }
        }
    }

    private void poll() {
        numberFeed();
        check();
    }

    private void numberFeed() {
        try {
            LogPosition published = this.feed.number();
            if (published != null) {
                reportFeed(published);
            }
        }
        catch (RuntimeException ex) {
            logger.log(Level.DEBUG, "Numbering the feed failed; the next poll retries", ex);
        }
    }

    /** Checks the feed (when someone listens) and every watched session. */
    private void check() {
        try {
            if (this.listeners.hasFeedListeners()) {
                reportFeed(this.feed.position());
            }
            List<String> ids = new ArrayList<>(this.watched.keySet());
            if (ids.isEmpty()) {
                return;
            }
            Map<String, SessionHead> heads = new HashMap<>();
            for (Map<String, AttributeValue> item : this.requests.batchGet(this.sessions,
                    ids.stream().map(SessionKeys::head).toList())) {
                SessionHead head = SessionHead.of(item);
                heads.put(head.session().id(), head);
            }
            Instant now = this.clock.instant();
            for (String id : ids) {
                Watch watch = this.watched.get(id);
                if (watch == null) {
                    continue;
                }
                SessionHead head = heads.get(id);
                String epoch;
                synchronized (watch) {
                    epoch = watch.epoch()[0];
                }
                if (head == null || (epoch != null && !epoch.equals(head.epoch()))) {
                    CloseReason reason = removedReason(id, watch);
                    if (reason != null) {
                        closed(id, reason);
                    }
                }
                else if (head.isExpired(now)) {
                    closed(id, CloseReason.EXPIRED);
                }
                else if (head.reported() > watch.latest().getAndAccumulate(head.reported(), Math::max)) {
                    this.listeners.appended(id, head.reported(), List.of());
                }
            }
        }
        catch (RuntimeException ex) {
            logger.log(Level.DEBUG, "Checking session positions failed; the next poll retries", ex);
        }
    }

    /**
     * Reports the feed moving, also to a new epoch (the tables emptied under the store), whose seqs start again
     * from 1 below the ones reported before.
     */
    private synchronized void reportFeed(LogPosition position) {
        LogPosition before = this.feedReported;
        if (before == null || !before.epoch().equals(position.epoch()) || position.latest() > before.latest()) {
            this.feedReported = position;
            this.listeners.feedAdvanced(position.latest());
        }
    }

    /**
     * Why a session whose head is gone ended: its removal note says. Without one, either its remover has not
     * written it yet (it follows the head's delete at once) or the tables were emptied: the next check decides,
     * and a session still without a note then was wiped, which is a deletion.
     */
    private @Nullable CloseReason removedReason(String sessionId, Watch watch) {
        @Nullable String reason = Items.string(this.requests.get(this.sessions, SessionKeys.gone(sessionId)), "reason");
        if (reason == null) {
            return watch.gone().getAndSet(true) ? CloseReason.DELETED : null;
        }
        return "deleted".equals(reason) ? CloseReason.DELETED : CloseReason.EXPIRED;
    }

    @Override
    public void close() {
        // Not shutdownNow: interrupting a request under way would cut its connection mid-request.
        this.scheduler.shutdown();
        // A check under way finishes first, so nothing of this store uses the client once it is closed.
        try {
            this.scheduler.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
