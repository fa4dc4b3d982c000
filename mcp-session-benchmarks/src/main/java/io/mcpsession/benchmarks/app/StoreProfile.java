package io.mcpsession.benchmarks.app;

import java.util.Map;

import javax.sql.DataSource;

import org.springframework.context.ApplicationContext;

import io.mcpsession.benchmarks.store.JdbcTargets;
import io.mcpsession.benchmarks.store.RedisTargets;

/**
 * Which store the application under test uses, and whether several instances can share it. The two-instance
 * variants of the delivery and long-poll figures run only where {@link #shared()} is true: an instance appends,
 * another serves the readers.
 * <p>
 * The JDBC and Redis profiles point the starter at the shared store (from {@code MCP_SESSION_BENCH_JDBC_URL} /
 * {@code MCP_SESSION_BENCH_REDIS_URL}, else the tests' variables), on tables or keys of each run's own.
 */
public enum StoreProfile {

    MEMORY("memory", false, true),

    JDBC("jdbc", true, true),

    REDIS("redis", true, true);

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

    /** A name for result rows, such as {@code jdbc (PostgreSQL)}. */
    public String label() {
        return (this == JDBC) ? "jdbc (PostgreSQL)" : this.key;
    }

    /**
     * The application properties that select this store; for a shared store, on tables or keys of their own
     * (fresh at every call), which {@link #release} removes.
     */
    public Map<String, Object> properties() {
        if (!this.landed) {
            throw new UnsupportedOperationException("pending: the " + this.key + " store has not landed");
        }
        return switch (this) {
            // The JDBC driver and pool are on the classpath for the jdbc rows; the memory app has no database.
            case MEMORY -> Map.of("mcp.session.store.type", this.key, "spring.autoconfigure.exclude",
                    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
            case JDBC -> Map.of("mcp.session.store.type", this.key, "spring.datasource.url", JdbcTargets.url(),
                    "mcp.session.store.jdbc.initialize-schema", "always", "mcp.session.store.jdbc.table-prefix",
                    JdbcTargets.newTablePrefix(), "spring.datasource.hikari.maximum-pool-size", 20);
            case REDIS -> Map.of("mcp.session.store.type", this.key, "spring.data.redis.url", RedisTargets.url(),
                    "mcp.session.store.redis.key-prefix", RedisTargets.newKeyPrefix(), "spring.autoconfigure.exclude",
                    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration");
        };
    }

    /** Removes what {@link #properties()} made for one run, through an instance that is still up. */
    public void release(Map<String, Object> properties, ApplicationContext instance) {
        if (this == JDBC) {
            JdbcTargets.dropTables(instance.getBean(DataSource.class),
                    (String) properties.get("mcp.session.store.jdbc.table-prefix"));
        }
        else if (this == REDIS) {
            RedisTargets.deleteKeys((String) properties.get("spring.data.redis.url"),
                    (String) properties.get("mcp.session.store.redis.key-prefix"));
        }
    }

}
