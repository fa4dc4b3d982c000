package io.mcpsession.redis;

import java.time.Duration;
import java.util.List;

/**
 * A lease in Redis that at most one instance holds at a time (the feed's sequencer, the sweeper): taken when
 * free, renewed by its holder, and lapsing by itself when the holder stops renewing it. Scripts that must only
 * run on the holder check the lease key themselves (fencing), so a holder that paused past its lease cannot
 * write.
 */
final class Lease {

    private final StoreConnection connection;

    private final String key;

    private final String token;

    private final String ttl;

    Lease(StoreConnection connection, String key, String token, Duration ttl) {
        this.connection = connection;
        this.key = key;
        this.token = token;
        this.ttl = Long.toString(ttl.toMillis());
    }

    /** Takes or renews the lease; returns whether this instance holds it now. */
    boolean hold() {
        return "1".equals(this.connection.run(RedisScripts.LEASE, List.of(this.key), List.of(this.token, this.ttl, "0"))
            .status());
    }

    /** Gives the lease up if this instance holds it. */
    void release() {
        this.connection.run(RedisScripts.LEASE, List.of(this.key), List.of(this.token, this.ttl, "1"));
    }

    /** The token that names the holder. */
    String token() {
        return this.token;
    }

}
