package io.mcpsession.observability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.mcpsession.core.McpSessionException;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSweeper;

/**
 * The {@code mcpSession} health: the store answers (which also proves its schema is there), and the sweeper
 * has swept within three intervals.
 */
public class McpSessionHealthIndicator extends AbstractHealthIndicator {

    private static final Log logger = LogFactory.getLog(McpSessionHealthIndicator.class);

    /** An id no session has: finding it exercises the store's connection and tables. */
    private static final String PROBE_ID = "mcp-session-health-probe";

    private final SessionStore store;

    private final StoreSweeper sweeper;

    private final Duration sweepInterval;

    private final Clock clock;

    private final Instant startedAt;

    public McpSessionHealthIndicator(SessionStore store, StoreSweeper sweeper, Duration sweepInterval, Clock clock) {
        super("mcp-session health check failed");
        this.store = store;
        this.sweeper = sweeper;
        this.sweepInterval = sweepInterval;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        try {
            this.store.find(PROBE_ID);
        }
        catch (RuntimeException ex) {
            // Said in our words: the default detail would be the exception's class name and its message.
            logger.warn("mcp-session health check failed: the store did not answer", ex);
            builder.down()
                .withDetail("store", this.store.describe())
                .withDetail("error", (ex instanceof McpSessionException known) ? known.getMessage()
                        : "The store did not answer");
            return;
        }
        Instant lastSweep = this.sweeper.lastSweep();
        Instant sweptSince = (lastSweep != null) ? lastSweep : this.startedAt;
        boolean sweeperAlive = this.sweeper.isRunning()
                && sweptSince.isAfter(this.clock.instant().minus(this.sweepInterval.multipliedBy(3)));
        builder.status(sweeperAlive ? "UP" : "DOWN")
            .withDetail("store", this.store.describe())
            .withDetail("sweeper", sweeperAlive ? "alive" : "stalled")
            .withDetail("lastSweep", (lastSweep != null) ? lastSweep.toString() : "none yet");
    }

}
