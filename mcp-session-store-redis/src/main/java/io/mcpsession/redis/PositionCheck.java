package io.mcpsession.redis;

import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.CloseReason;
import io.mcpsession.redis.Fanout.Seen;
import io.mcpsession.redis.Fanout.SeenFeed;

/**
 * Heals lost wake-up hints: pub/sub delivers at most once and nothing while an instance is disconnected, so every
 * interval this instance compares, for each session it has listeners of (and for the feed, when it has feed
 * listeners), the store's position with the last one it reported, and reports what moved unheard: new events,
 * a session that ended (or started a new epoch), a feed that advanced. One pipelined {@code HMGET} per batch of
 * sessions; nothing at all while nobody listens.
 */
final class PositionCheck implements AutoCloseable {

    private static final System.Logger logger = System.getLogger(PositionCheck.class.getName());

    /** How often the check runs unless configured otherwise. */
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);

    private static final int BATCH = 500;

    private final StoreConnection connection;

    private final RedisKeys keys;

    private final Fanout fanout;

    private final Clock clock;

    private final Duration interval;

    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
        Thread thread = new Thread(runnable, "mcp-session-redis-check");
        thread.setDaemon(true);
        return thread;
    });

    private boolean failing;

    PositionCheck(StoreConnection connection, RedisKeys keys, Fanout fanout, Clock clock, Duration interval) {
        this.connection = connection;
        this.keys = keys;
        this.fanout = fanout;
        this.clock = clock;
        this.interval = interval;
    }

    void start() {
        long period = this.interval.toMillis();
        this.executor.scheduleWithFixedDelay(this::checkQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    private void checkQuietly() {
        try {
            check();
            if (this.failing) {
                this.failing = false;
                logger.log(Level.INFO, "The position check reaches Redis again");
            }
        }
        catch (RuntimeException ex) {
            if (!this.failing) {
                this.failing = true;
                logger.log(Level.WARNING, "The position check cannot reach Redis; retrying every " + this.interval,
                        ex);
            }
        }
    }

    /** One check of every subscribed session and of the feed. */
    void check() {
        List<String> subscribed = new ArrayList<>(this.fanout.listeners().subscribedSessions());
        this.fanout.retain(Set.copyOf(subscribed));
        for (int from = 0; from < subscribed.size(); from += BATCH) {
            List<String> batch = subscribed.subList(from, Math.min(subscribed.size(), from + BATCH));
            List<String> metas = new ArrayList<>(batch.size());
            batch.forEach((sessionId) -> metas.add(this.keys.meta(sessionId)));
            List<List<@Nullable String>> rows = this.connection.fields(metas, "epoch", "seq", "exp");
            long now = this.clock.millis();
            for (int i = 0; i < batch.size(); i++) {
                checkSession(batch.get(i), rows.get(i), now);
            }
        }
        if (this.fanout.listeners().hasFeedListeners()) {
            checkFeed(this.connection.fields(List.of(this.keys.feed().get(0)), "epoch", "seq").get(0));
        }
    }

    private void checkSession(String sessionId, List<@Nullable String> row, long now) {
        String epoch = row.get(0);
        String seq = row.get(1);
        String exp = row.get(2);
        if (epoch == null || seq == null || exp == null || now > Long.parseLong(exp)) {
            Seen before = this.fanout.update(sessionId, (seen) -> Seen.GONE);
            if (before == null || !before.gone()) {
                // Expired but not swept yet, or gone after the expiry this instance last saw: expired.
                boolean expired = exp != null || (before != null && pastExpiry(before, now));
                this.fanout.listeners().closed(sessionId, expired ? CloseReason.EXPIRED : CloseReason.DELETED);
            }
            return;
        }
        long latest = Long.parseLong(seq);
        long expiresAt = Long.parseLong(exp);
        Seen before = this.fanout.update(sessionId,
                (seen) -> (seen != null && !seen.gone() && epoch.equals(seen.epoch()))
                        ? new Seen(epoch, Math.max(seen.latest(), latest), expiresAt, false)
                        : new Seen(epoch, latest, expiresAt, false));
        if (before != null && !before.gone() && before.epoch() != null && !before.epoch().equals(epoch)) {
            // The log this instance knew ended and another began under its id, both unheard.
            this.fanout.listeners()
                .closed(sessionId, pastExpiry(before, now) ? CloseReason.EXPIRED : CloseReason.DELETED);
        }
        boolean moved;
        if (before == null || before.gone() || (before.epoch() != null && !before.epoch().equals(epoch))) {
            moved = latest > 0;
        }
        else if (before.epoch() == null) {
            // Only hints reported it, and hints name no epoch.
            moved = latest != before.latest();
        }
        else {
            moved = latest > before.latest();
        }
        if (moved) {
            this.fanout.listeners().appended(sessionId, latest, List.of());
        }
    }

    private static boolean pastExpiry(Seen seen, long now) {
        return seen.expiresAt() >= 0 && now > seen.expiresAt();
    }

    private void checkFeed(List<@Nullable String> row) {
        String epoch = row.get(0);
        long latest = (row.get(1) != null) ? Long.parseLong(row.get(1)) : 0;
        SeenFeed found = new SeenFeed(epoch, latest);
        SeenFeed before = this.fanout.updateFeed((seen) -> (seen != null && epoch != null
                && epoch.equals(seen.epoch())) ? new SeenFeed(epoch, Math.max(seen.latest(), latest)) : found);
        boolean moved;
        if (before == null) {
            moved = latest > 0;
        }
        else if (epoch == null) {
            // The feed vanished (Redis was flushed): its readers learn of the new epoch by reading.
            moved = before.epoch() != null || before.latest() > 0;
        }
        else if (before.epoch() == null) {
            moved = latest != before.latest();
        }
        else {
            moved = !epoch.equals(before.epoch()) || latest > before.latest();
        }
        if (moved) {
            this.fanout.listeners().feedAdvanced((epoch != null) ? latest : -1);
        }
    }

    @Override
    public void close() {
        this.executor.shutdownNow();
    }

}
