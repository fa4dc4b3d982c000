package io.mcpsession.benchmarks.app;

import java.util.Map;

/**
 * Which store the application under test uses, and whether several instances can share it. The two-instance
 * variants of the delivery and long-poll figures run only where {@link #shared()} is true: an instance appends,
 * another serves the readers.
 * <p>
 * Hook for the JDBC and Redis stores: give their profile the properties that point the starter at the shared
 * store (from {@code MCP_SESSION_BENCH_JDBC_URL} / {@code MCP_SESSION_BENCH_REDIS_URL}), set {@link #landed()}
 * to true, and the driver runs their rows, one instance and two.
 */
public enum StoreProfile {

    MEMORY("memory", false, true),

    JDBC("jdbc", true, false),

    REDIS("redis", true, false);

    private final String key;

    private final boolean shared;

    private final boolean landed;

    StoreProfile(String key, boolean shared, boolean landed) {
        this.key = key;
        this.shared = shared;
        this.landed = landed;
    }

    /** The store's key, as {@code mcp.session.store.type} and the JMH {@code store} parameter. */
    public String key() {
        return this.key;
    }

    /** Whether instances of the application share this store (and so the two-instance variants apply). */
    public boolean shared() {
        return this.shared;
    }

    /** Whether the store has landed and its rows run. */
    public boolean landed() {
        return this.landed;
    }

    /** The application properties that select this store. */
    public Map<String, Object> properties() {
        if (!this.landed) {
            throw new UnsupportedOperationException("pending: the " + this.key + " store has not landed");
        }
        return Map.of("mcp.session.store.type", this.key);
    }

}
