package io.mcpsession.jdbc;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.EventRecord;
import io.mcpsession.store.ListenerRegistry;
import io.mcpsession.store.Subscription;

/**
 * Tells this instance's readers about changes made by other instances. The position check compares the
 * positions of the sessions it has readers for (and the feed) with what it saw last, and reports what moved;
 * where a notification bus listens (PostgreSQL LISTEN/NOTIFY), the same check runs at once for the sessions a
 * notification names, and the periodic check only heals lost notifications, every {@value #HEAL_FACTOR} poll
 * intervals instead of every one. It also numbers the feed promptly after local changes and on every poll, so
 * an entry is visible within a poll interval of its commit. The database stays the truth: a wake-up is only ever
 * a reason to read.
 */
final class JdbcWakeUps implements JdbcNotifications.Receiver, AutoCloseable {

    /** How many poll intervals pass between position checks while notifications arrive. */
    static final int HEAL_FACTOR = 10;

    private static final System.Logger logger = System.getLogger(JdbcWakeUps.class.getName());

    private static final int CHUNK = 500;

    private static final String POSITIONS = """
            SELECT ID, LAST_SEQ, EXPIRES_AT FROM %TABLE_PREFIX%SESSIONS WHERE ID IN (%IDS%)
            """;

    private static final String REMOVED_REASON = """
            SELECT REASON FROM %TABLE_PREFIX%REMOVED_SESSIONS WHERE ID = ?
            """;

    private static final String STILL_STORED = """
            SELECT COUNT(*) FROM %TABLE_PREFIX%SESSIONS WHERE ID = ?
            """;

    private record Watch(AtomicInteger readers, AtomicLong latest) {
    }

    private final JdbcClient jdbc;

    private final ListenerRegistry listeners;

    private final JdbcFeed feed;

    private final String prefix;

    private final Clock clock;

    private final Map<String, Watch> watched = new ConcurrentHashMap<>();

    private final AtomicLong feedLatest = new AtomicLong(-1);

    /** The feed epoch the last check read, or {@code null} before the first. */
    private final AtomicReference<String> feedEpoch = new AtomicReference<>();

    /** The least time between two numbering rounds under load. */
    static final long NUMBERING_GAP_MILLIS = 10;

    private static final long NUMBERING_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(NUMBERING_GAP_MILLIS);

    private final AtomicBoolean numberingScheduled = new AtomicBoolean();

    /** When the last numbering round began ({@link System#nanoTime()}); written by the scheduler thread only. */
    private volatile long lastNumbering = System.nanoTime() - NUMBERING_GAP_NANOS;

    private final ScheduledExecutorService scheduler;

    private final JdbcNotifications notifications;

    private final long healNanos;

    /** When the last full position check ran (scheduler thread only). */
    private long lastCheck = System.nanoTime();

    JdbcWakeUps(JdbcClient jdbc, ListenerRegistry listeners, JdbcFeed feed, String prefix, Clock clock,
            Duration pollInterval, JdbcNotifications notifications) {
        this.jdbc = jdbc;
        this.listeners = listeners;
        this.feed = feed;
        this.prefix = prefix;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
            Thread thread = new Thread(runnable, "mcp-session-jdbc-wakeups");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(10, pollInterval.toMillis());
        this.healNanos = TimeUnit.MILLISECONDS.toNanos(period) * (HEAL_FACTOR - 1);
        this.notifications = notifications;
        this.scheduler.scheduleWithFixedDelay(this::poll, period, period, TimeUnit.MILLISECONDS);
        notifications.start(this);
    }

    /** Whether other instances' notifications reach this instance now. */
    boolean listening() {
        return this.notifications.listening();
    }

    /** Watches a session for as long as {@code subscription} is open. */
    Subscription watch(String sessionId, Subscription subscription) {
        Watch watch = this.watched.compute(sessionId, (id, existing) -> {
            Watch current = (existing != null) ? existing : new Watch(new AtomicInteger(), new AtomicLong(-1));
            current.readers().incrementAndGet();
            return current;
        });
        if (watch.latest().get() < 0) {
            // The baseline is read now, so an append between the subscription and the first poll is reported.
            positions(List.of(sessionId)).forEach((id, seq) -> watch.latest().compareAndSet(-1, seq));
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

    /**
     * The feed has new unnumbered rows: number them off the caller's thread, at once when the last round was
     * {@value #NUMBERING_GAP_MILLIS} ms ago or more, else that long after it. Under load a round then numbers
     * many rows in one transaction instead of committing once for every few appends.
     */
    void feedChanged() {
        if (this.numberingScheduled.compareAndSet(false, true)) {
            long sinceLast = System.nanoTime() - this.lastNumbering;
            this.scheduler.schedule(() -> {
                this.lastNumbering = System.nanoTime();
                this.numberingScheduled.set(false);
                numberFeed();
            }, Math.max(0, NUMBERING_GAP_NANOS - sinceLast), TimeUnit.NANOSECONDS);
        }
    }

    /** Numbers the feed now and tells feed readers when it moved. */
    void numberFeed() {
        try {
            long latest = this.feed.numberPending();
            if (latest > 0) {
                reportFeed(latest);
                this.notifications.feedMoved(latest);
            }
        }
        catch (RuntimeException ex) {
            logger.log(Level.DEBUG, "Numbering the feed failed; the next poll retries", ex);
        }
    }

    /**
     * Reports this instance's committed appends at once, remembers them so the next check does not repeat them,
     * and announces them to the other instances.
     */
    void appended(String sessionId, List<EventRecord> events) {
        long latest = events.get(events.size() - 1).seq();
        Watch watch = this.watched.get(sessionId);
        if (watch != null) {
            watch.latest().accumulateAndGet(latest, Math::max);
        }
        this.listeners.appended(sessionId, latest, events);
        this.notifications.sessionChanged(sessionId, latest);
    }

    /** Reports that this instance removed a session (after the commit), here and to the other instances. */
    void removed(String sessionId, CloseReason reason) {
        closed(sessionId, reason);
        this.notifications.sessionChanged(sessionId, Long.MAX_VALUE);
    }

    /** Reports that a session ended, once, however many paths (this instance, a check) noticed it. */
    private void closed(String sessionId, CloseReason reason) {
        if (this.watched.remove(sessionId) != null) {
            this.listeners.closed(sessionId, reason);
        }
    }

    /** Ephemeral events reach this instance's readers only (the database keeps nothing of them). */
    void ephemeralPublished(EphemeralEvent event) {
    }

    @Override
    public void hinted(Map<String, Long> sessions, long feedLatest) {
        if (feedLatest > 0) {
            reportFeed(feedLatest);
        }
        List<String> removed = new ArrayList<>();
        sessions.forEach((id, latest) -> {
            Watch watch = this.watched.get(id);
            if (watch == null) {
                return;
            }
            if (latest == Long.MAX_VALUE) {
                // A removal: the check tells deleted from expired.
                removed.add(id);
            }
            else if (latest > watch.latest().getAndAccumulate(latest, Math::max)) {
                // Sent after the commit, so readers find the events without a check first.
                this.listeners.appended(id, latest, List.of());
            }
        });
        if (!removed.isEmpty()) {
            check(removed);
        }
    }

    @Override
    public void resumed() {
        try {
            this.scheduler.execute(this::checkAll);
        }
        catch (RejectedExecutionException ex) {
            // Closed.
        }
    }

    private void poll() {
        numberFeed();
        long now = System.nanoTime();
        if (!this.notifications.listening() || now - this.lastCheck >= this.healNanos) {
            checkAll();
        }
    }

    /** Checks the feed and every watched session. */
    private void checkAll() {
        this.lastCheck = System.nanoTime();
        try {
            if (this.listeners.hasFeedListeners()) {
                checkFeed();
            }
            check(new ArrayList<>(this.watched.keySet()));
        }
        catch (RuntimeException ex) {
            logger.log(Level.DEBUG, "Checking session positions failed; the next poll retries", ex);
        }
    }

    /** Reads the positions of {@code ids} and reports those that moved or ended since last seen. */
    private void check(List<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        Map<String, Long> positions = positions(ids);
        for (String id : ids) {
            Watch watch = this.watched.get(id);
            if (watch == null) {
                continue;
            }
            Long latest = positions.get(id);
            if (latest == null) {
                closed(id, removedReason(id));
            }
            else if (latest > watch.latest().getAndAccumulate(latest, Math::max)) {
                this.listeners.appended(id, latest, List.of());
            }
        }
    }

    /**
     * Reports the feed moving, also to a new epoch (its tables emptied under the store), whose seqs start again
     * below those reported so far.
     */
    private void checkFeed() {
        String epoch = this.feed.epoch();
        long latest = this.feed.latest();
        String before = this.feedEpoch.getAndSet(epoch);
        if (before == null || !before.equals(epoch)) {
            // What was reported so far may belong to another epoch (or to a time without feed listeners, when no
            // epoch was read): this reading replaces it, and is told even where its seq equals an old one.
            this.feedLatest.set(latest);
            this.listeners.feedAdvanced(latest);
        }
        else {
            reportFeed(latest);
        }
    }

    private void reportFeed(long latest) {
        if (latest > this.feedLatest.getAndAccumulate(latest, Math::max)) {
            this.listeners.feedAdvanced(latest);
        }
    }

    /** The latest seq of each live session among {@code ids}. */
    private Map<String, Long> positions(List<String> ids) {
        long now = this.clock.millis();
        Map<String, Long> positions = new HashMap<>();
        for (int from = 0; from < ids.size(); from += CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
            String sql = POSITIONS.replace("%TABLE_PREFIX%", this.prefix)
                .replace("%IDS%", chunk.stream().map((id) -> "?").collect(Collectors.joining(", ")));
            this.jdbc.sql(sql).params(new ArrayList<Object>(chunk)).query((rs, row) -> {
                if (rs.getLong(3) >= now) {
                    positions.put(rs.getString(1), rs.getLong(2));
                }
                return null;
            }).list();
        }
        return positions;
    }

    /**
     * Why a session that is no longer live ended: as recorded when it was removed; expired when it is still stored
     * (no sweep got to it yet); deleted when it vanished without a record (its tables were emptied).
     */
    private CloseReason removedReason(String sessionId) {
        String reason = this.jdbc.sql(REMOVED_REASON.replace("%TABLE_PREFIX%", this.prefix))
            .param(sessionId)
            .query(String.class)
            .optional()
            .orElse(null);
        if (reason == null) {
            boolean stored = this.jdbc.sql(STILL_STORED.replace("%TABLE_PREFIX%", this.prefix))
                .param(sessionId)
                .query(Long.class)
                .single() > 0;
            return stored ? CloseReason.EXPIRED : CloseReason.DELETED;
        }
        return "deleted".equals(reason) ? CloseReason.DELETED : CloseReason.EXPIRED;
    }

    @Override
    public void close() {
        this.notifications.close();
        this.scheduler.shutdownNow();
        // A check under way finishes first, so nothing of this store uses the database once it is closed.
        try {
            this.scheduler.awaitTermination(2, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
