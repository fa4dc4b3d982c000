package io.mcpsession.mcp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpsession.core.McpSessionException;
import io.mcpsession.store.SessionStore;

/**
 * How an instance says that it is still running requests of a session, so that another instance that resumes one of
 * their streams can tell a slow request from a dead one. While an instance runs requests of a session it keeps a
 * lease in that session's state ({@code mcp.owner.<instance>} = {@code {"until": <time>}}), renewed every third of
 * its length and removed when its last request there ends. A stream without its final response whose owner holds no
 * live lease will never get one: the resuming instance ends it with an error.
 */
final class OwnerLeases {

    private static final Logger logger = LoggerFactory.getLogger(OwnerLeases.class);

    static final String KEY_PREFIX = "mcp.owner.";

    private final SessionStore store;

    private final Clock clock;

    private final Duration length;

    private final String instanceId;

    private final Map<String, Held> held = new ConcurrentHashMap<>();

    OwnerLeases(SessionStore store, Clock clock, Duration length, String instanceId) {
        this.store = store;
        this.clock = clock;
        this.length = length;
        this.instanceId = instanceId;
    }

    Duration length() {
        return this.length;
    }

    /** A request of the session starts here: the lease is live before its stream says anything. */
    void begin(String sessionId) {
        Held lease = this.held.compute(sessionId, (id, current) -> {
            Held next = (current != null) ? current : new Held();
            next.requests++;
            return next;
        });
        synchronized (lease) {
            if (lease.renewedAt == null
                    || lease.renewedAt.plus(this.length.dividedBy(3)).isBefore(this.clock.instant())) {
                write(sessionId, lease);
            }
        }
    }

    /** A request of the session ended here. */
    void end(String sessionId) {
        this.held.computeIfPresent(sessionId, (id, current) -> {
            current.requests--;
            return current;
        });
    }

    /** Renews the leases of sessions with requests running and gives up those without; called periodically. */
    void renew() {
        for (Map.Entry<String, Held> entry : this.held.entrySet()) {
            String sessionId = entry.getKey();
            Held lease = entry.getValue();
            try {
                if (lease.requests > 0) {
                    synchronized (lease) {
                        write(sessionId, lease);
                    }
                }
                else if (this.held.remove(sessionId, lease)) {
                    if (lease.requests > 0) {
                        // A request began as it was removed: keep it.
                        this.held.merge(sessionId, lease, (a, b) -> a);
                    }
                    else {
                        this.store.removeState(sessionId, key(this.instanceId));
                    }
                }
            }
            catch (McpSessionException ex) {
                // The session is gone, or the store is unavailable: the next round tries again if it matters.
                logger.debug("Could not renew the owner lease of session {}: {}", sessionId, ex.getMessage());
            }
        }
    }

    /** Whether {@code instanceId} holds a live lease on the session's requests. */
    boolean isAlive(String sessionId, String instanceId) {
        if (instanceId.equals(this.instanceId)) {
            Held lease = this.held.get(sessionId);
            return lease != null && lease.requests > 0;
        }
        Optional<String> value = this.store.getState(sessionId, key(instanceId));
        return value.map(this::until).map((until) -> !until.isBefore(this.clock.instant())).orElse(false);
    }

    private void write(String sessionId, Held lease) {
        Instant now = this.clock.instant();
        this.store.putState(sessionId, key(this.instanceId), "{\"until\":\"" + now.plus(this.length) + "\"}");
        lease.renewedAt = now;
    }

    private Instant until(String json) {
        int start = json.indexOf("\"until\":\"");
        int end = json.lastIndexOf('"');
        try {
            return (start >= 0 && end > start + 9) ? Instant.parse(json.substring(start + 9, end)) : Instant.MIN;
        }
        catch (DateTimeParseException ex) {
            return Instant.MIN;
        }
    }

    static String key(String instanceId) {
        return KEY_PREFIX + instanceId;
    }

    /** This instance's lease on one session. */
    private static final class Held {

        /** Requests of the session running here; changed only inside the map's compute functions. */
        int requests;

        Instant renewedAt;

    }

}
