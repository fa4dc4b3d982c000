package io.mcpsession.benchmarks.store;

import java.util.function.Supplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import io.mcpsession.observability.ObservedSessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.memory.InMemorySessionStore;

/**
 * The stores the append benchmark knows, keyed by the benchmark's {@code store} parameter, each with the raw
 * engine that is its baseline. A new store slots in here with a {@code case} of its own; nothing else changes.
 * <ul>
 * <li>{@code memory}: {@link InMemorySessionStore} against {@link RawMemoryEngine} (a per-session lock around a
 * bounded FIFO plus an id map).</li>
 * <li>{@code memory-observed}: the same store inside the starter's meters decorator (what an application with
 * Micrometer gets), against the same baseline.</li>
 * <li>{@code jdbc}: {@code io.mcpsession.jdbc.JdbcSessionStore} on PostgreSQL, NOTIFY off, against
 * {@link RawJdbcEngine} (the same statements through plain JDBC); database from
 * {@code MCP_SESSION_BENCH_JDBC_URL} (see {@link JdbcTargets}). {@code jdbc-notify}: the same store announcing
 * every append to other instances (LISTEN/NOTIFY on, the starter's default), against the same baseline.</li>
 * <li>{@code redis}: {@link io.mcpsession.redis.RedisSessionStore} against the same Lua script through Lettuce
 * ({@link RawRedisEngine}) on the same Redis; location from {@code MCP_SESSION_BENCH_REDIS_URL} (see
 * {@link RedisTargets}).</li>
 * <li>{@code nats}: {@link io.mcpsession.nats.NatsSessionStore} against one guarded JetStream publish of the same
 * message ({@link RawNatsEngine}); location from {@code MCP_SESSION_BENCH_NATS_URL} (see {@link NatsTargets}).</li>
 * <li>{@code dynamodb}: {@link io.mcpsession.dynamodb.DynamoDbSessionStore} against one conditional
 * {@code PutItem} of the same log item ({@link RawDynamoDbEngine}); endpoint from
 * {@code MCP_SESSION_BENCH_DYNAMODB_URL} (see {@link DynamoDbTargets}).</li>
 * </ul>
 */
public final class StoreTargets {

    /** The benchmark's {@code target} parameter: the store through its API. */
    public static final String API = "api";

    /** The benchmark's {@code target} parameter: the raw engine underneath (the baseline). */
    public static final String RAW = "raw";

    private StoreTargets() {
    }

    /**
     * Where a benchmarked store lives: the benchmark's own variable (or a system property of that name, which a
     * suite passes to JMH's forks), else the server the tests use (found as the tests find it: their variable, the
     * default local port, Testcontainers, an embedded server).
     */
    static String location(String variable, Supplier<String> testServer) {
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            value = System.getProperty(variable);
        }
        return (value != null && !value.isBlank()) ? value : testServer.get();
    }

    /** The settings every store is benchmarked with: the contract's defaults. */
    public static StoreSettings settings() {
        return StoreSettings.defaults().withMaxSessions(1_000_000);
    }

    /**
     * The target for a {@code store} key and a {@code target} kind ({@link #API} or {@link #RAW}).
     * @throws IllegalArgumentException for an unknown key
     */
    public static AppendTarget create(String store, String target) {
        boolean api = switch (target) {
            case API -> true;
            case RAW -> false;
            default -> throw new IllegalArgumentException("target is 'api' or 'raw', not '" + target + "'");
        };
        StoreSettings settings = settings();
        return switch (store) {
            case "memory" -> api ? new StoreApiTarget(new InMemorySessionStore(settings))
                    : new RawMemoryEngine(settings.maxEventsPerSession());
            case "memory-observed" -> api ? new StoreApiTarget(new ObservedSessionStore(
                    new InMemorySessionStore(settings), new SimpleMeterRegistry(), ObservationRegistry.NOOP))
                    : new RawMemoryEngine(settings.maxEventsPerSession());
            case "jdbc" -> api ? JdbcTargets.store(false) : JdbcTargets.raw();
            case "jdbc-notify" -> api ? JdbcTargets.store(true) : JdbcTargets.raw();
            case "redis" -> RedisTargets.create(api);
            case "nats" -> NatsTargets.create(api);
            case "dynamodb" -> DynamoDbTargets.create(api);
            default -> throw new IllegalArgumentException("Unknown store '" + store + "'");
        };
    }

}
