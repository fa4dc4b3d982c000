package io.mcpsession.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.Epochs;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.SweepResult;

/**
 * Expiry and retention of the Redis store, from its own data (never keyspace notifications). The registry
 * schedules each session's next visit (when it may expire, or when its oldest event passes the TTL); a sweep
 * visits the sessions that are due, in bounded batches, one script per session in the session's slot. Only the
 * holder of the sweeper's lease sweeps, so several instances never sweep at once.
 */
final class RedisSweeper {

    private static final int BATCH = 100;

    /** The most sessions one sweep visits; the next sweep continues. */
    private static final int SESSIONS_PER_SWEEP = 10_000;

    /** The most events (or feed entries) one visit examines for the TTL; the next visit continues. */
    private static final int EVENTS_PER_VISIT = 1_000;

    /** When to look again at a removed session whose feed entries are not numbered yet. */
    private static final Duration RETRY_DRAINED = Duration.ofSeconds(5);

    private final StoreConnection connection;

    private final SessionScripts scripts;

    private final SessionRegistry registry;

    private final FeedSequencer sequencer;

    private final Fanout listeners;

    private final StoreSettings settings;

    private final RedisKeys keys;

    private final Lease lease;

    RedisSweeper(StoreConnection connection, SessionScripts scripts, SessionRegistry registry, FeedSequencer sequencer,
            Fanout listeners, StoreSettings settings, RedisKeys keys, String token) {
        this.connection = connection;
        this.scripts = scripts;
        this.registry = registry;
        this.sequencer = sequencer;
        this.listeners = listeners;
        this.settings = settings;
        this.keys = keys;
        this.lease = new Lease(connection, keys.sweepLease(), token, Duration.ofMinutes(1));
    }

    /** A full sweep: sessions, then the feed. Does nothing while another instance sweeps. */
    synchronized SweepResult sweep(Instant now) {
        if (!this.lease.hold()) {
            return SweepResult.EMPTY;
        }
        try {
            SweepResult sessions = visitDue(now, SESSIONS_PER_SWEEP);
            ScriptReply trimmed = this.connection.run(RedisScripts.FEED_TRIM, this.keys.feed(),
                    List.of(Epochs.next(), Long.toString(now.minus(this.settings.feedTtl()).toEpochMilli()),
                            Long.toString(this.settings.feedMaxEntries()), Integer.toString(EVENTS_PER_VISIT)));
            return sessions.plus(new SweepResult(0, 0, Long.parseLong(trimmed.status())));
        }
        finally {
            this.lease.release();
        }
    }

    /** Visits the sessions due by {@code now}, at most {@code limit}; also used to make room for a new session. */
    SweepResult visitDue(Instant now, int limit) {
        long expired = 0;
        long evicted = 0;
        int visited = 0;
        while (visited < limit) {
            List<String> due = this.registry.due(now, Math.min(BATCH, limit - visited));
            if (due.isEmpty()) {
                break;
            }
            List<String> tokens = this.registry.tokens(due);
            for (int i = 0; i < due.size(); i++) {
                SweepResult visit = visit(due.get(i), tokens.get(i), now);
                expired += visit.expiredSessions();
                evicted += visit.evictedEvents();
            }
            visited += due.size();
            if (due.size() == BATCH) {
                this.lease.hold();
            }
        }
        return new SweepResult(expired, evicted, 0);
    }

    /**
     * Visits one session.
     * @param token its registration token, read before the visit (so a session created again under that id
     * since keeps its registration)
     */
    private SweepResult visit(String sessionId, String token, Instant now) {
        ScriptReply reply = this.scripts.run(RedisScripts.SWEEP_SESSION, sessionId, now,
                Long.toString(now.minus(this.settings.eventTtl()).toEpochMilli()),
                Integer.toString(this.settings.maxEventsPerSession()), Integer.toString(EVENTS_PER_VISIT),
                Long.toString(this.settings.eventTtl().toMillis()));
        String status = reply.status();
        reply.afterStatus();
        switch (status) {
            case "gone" -> {
                if (reply.nextLong() > 0 && this.settings.feedEnabled()) {
                    this.sequencer.announceNow(sessionId);
                    this.registry.visitAt(sessionId, now.plus(RETRY_DRAINED).toEpochMilli());
                }
                else {
                    this.registry.unregister(sessionId, token, now);
                }
                return SweepResult.EMPTY;
            }
            case "expired" -> {
                String expiredToken = reply.next();
                if (this.settings.feedEnabled()) {
                    this.sequencer.announceNow(sessionId);
                }
                this.registry.unregister(sessionId, expiredToken, now);
                this.listeners.closed(sessionId, CloseReason.EXPIRED);
                return new SweepResult(1, 0, 0);
            }
            default -> {
                long evicted = reply.nextLong();
                long next = Math.max(reply.nextLong(), now.toEpochMilli() + 1);
                this.registry.visitAt(sessionId, next);
                if (reply.nextLong() > 0 && this.settings.feedEnabled()) {
                    this.sequencer.announce(sessionId);
                }
                return new SweepResult(0, evicted, 0);
            }
        }
    }

}
