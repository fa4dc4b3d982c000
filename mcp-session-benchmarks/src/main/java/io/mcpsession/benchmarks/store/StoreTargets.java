package io.mcpsession.benchmarks.store;

import java.util.List;

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
 * <li>{@code jdbc} (pending): {@code io.mcpsession.jdbc.JdbcSessionStore} against the same SQL shape through
 * plain JDBC on the same {@code DataSource}; connection from {@code MCP_SESSION_BENCH_JDBC_URL}.</li>
 * <li>{@code redis}: {@link io.mcpsession.redis.RedisSessionStore} against the same Lua script through Lettuce
 * ({@link RawRedisEngine}) on the same Redis; location from {@code MCP_SESSION_BENCH_REDIS_URL} (see
 * {@link RedisTargets}).</li>
 * </ul>
 */
public final class StoreTargets {

    /** The store keys whose benchmarks run today. */
    public static final List<String> LANDED = List.of("memory", "memory-observed", "redis");

    /** The store keys whose benchmarks wait for their store. */
    public static final List<String> PENDING = List.of("jdbc");

    /** The benchmark's {@code target} parameter: the store through its API. */
    public static final String API = "api";

    /** The benchmark's {@code target} parameter: the raw engine underneath (the baseline). */
    public static final String RAW = "raw";

    private StoreTargets() {
    }

    /** The settings every store is benchmarked with: the contract's defaults. */
    public static StoreSettings settings() {
        return StoreSettings.defaults().withMaxSessions(1_000_000);
    }

    /**
     * The target for a {@code store} key and a {@code target} kind ({@link #API} or {@link #RAW}).
     * @throws IllegalArgumentException for an unknown key, or a store that has not landed
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
            case "redis" -> RedisTargets.create(api);
            case "jdbc" -> throw new IllegalArgumentException(
                    "pending: the " + store + " store has not landed; see StoreTargets for its hook");
            default -> throw new IllegalArgumentException("Unknown store '" + store + "'");
        };
    }

}
