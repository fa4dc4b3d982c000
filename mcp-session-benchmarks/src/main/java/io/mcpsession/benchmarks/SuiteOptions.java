package io.mcpsession.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The sizes of one run of the suite: {@link #full()} for the figures of BENCHMARKS.md, {@link #smoke()} for the
 * build's check that every benchmark still runs and produces numbers.
 *
 * @param parts the parts to run: {@code jmh} (store API, in process), {@code jdbc} (store API on PostgreSQL),
 * {@code http}, {@code sse}, {@code replay}, {@code longpoll},
 * {@code memory}, {@code mcp} (the MCP transport against Spring AI's, on memory and PostgreSQL), {@code nats}
 * (store API on NATS JetStream), {@code dynamodb} (store API on DynamoDB, with requests and write units per append)
 * @param out where the results table and raw results go
 * @param jmhForks JMH forks per configuration (0 runs in this JVM)
 * @param jmhWarmups JMH warm-up iterations
 * @param jmhIterations JMH measured iterations
 * @param jmhIterationTime JMH iteration time, such as {@code 1s}
 * @param jmhThreads the caller counts of the append benchmark
 * @param jmhServerThreads the caller counts of the append benchmark on a store behind a server (redis): a few
 * callers already keep its connection busy, so 1 and 16 rather than the in-process counts (also nats and dynamodb)
 * @param jmhProfiler a JMH profiler to add (such as {@code jfr}), or {@code null}
 * @param httpRounds alternating rounds of the HTTP comparisons
 * @param httpRequests requests per round
 * @param httpClients concurrent HTTP clients
 * @param sseSubscribers the subscriber counts of the delivery latency benchmark
 * @param sseEvents measured events per subscriber count
 * @param replayEvents events in the replayed session
 * @param replayRounds measured replays
 * @param parkedPolls long-polls parked during the long-poll comparison
 * @param idleSessions sessions of the per-session memory figure
 * @param idleStreams open SSE streams of the per-connection memory figure
 * @param mcpRounds alternating measured rounds of the MCP transport comparisons
 * @param mcpRoundTime how long each side of a round calls
 * @param mcpClients concurrent MCP clients, each with a session of its own
 * @param dynamoDbCountedAppends appends by one caller over which DynamoDB requests and write units are counted
 */
public record SuiteOptions(Set<String> parts, Path out, int jmhForks, int jmhWarmups, int jmhIterations,
        String jmhIterationTime, List<Integer> jmhThreads, List<Integer> jmhServerThreads,
        @Nullable String jmhProfiler, int httpRounds, int httpRequests, int httpClients, List<Integer> sseSubscribers,
        int sseEvents, int replayEvents, int replayRounds, int parkedPolls, int idleSessions, int idleStreams,
        int mcpRounds, Duration mcpRoundTime, int mcpClients, int dynamoDbCountedAppends) {

    public static final Set<String> ALL_PARTS = Set.of("jmh", "jdbc", "http", "sse", "replay", "longpoll", "memory",
            "mcp", "nats", "dynamodb");

    /**
     * The parts of the smoke run: all but those that take minutes even at tiny sizes (creating 1,000 sessions on
     * NATS took 25 s, on dynalite over a minute).
     */
    public static final Set<String> SMOKE_PARTS = Set.of("jmh", "jdbc", "http", "sse", "replay", "longpoll",
            "memory", "mcp");

    /** The full suite. */
    public static SuiteOptions full() {
        return new SuiteOptions(ALL_PARTS, Path.of("target", "benchmark-results"), 2, 3, 5, "1s", List.of(1, 8, 32),
                List.of(1, 16), null, 10, 50_000, 8, List.of(1, 100, 1000), 200, 10_000, 30, 1000, 100_000, 5000, 8,
                Duration.ofSeconds(2), 4, 200);
    }

    /** Every benchmark once, with tiny sizes: seconds, not minutes. */
    public static SuiteOptions smoke() {
        return new SuiteOptions(SMOKE_PARTS, Path.of("target", "benchmark-smoke"), 0, 0, 1, "100ms", List.of(2),
                List.of(2), null, 2, 200, 2, List.of(1, 10), 5, 500, 2, 20, 2000,
                // Enough idle streams that each container's few KB per stream stand clear of the heap's noise, and
                // more than Tomcat keeps processors for after the warm-up (200), which would hide its cost.
                500, 2, Duration.ofMillis(100), 2, 20);
    }

    /** Idle streams of the small-heap figure: twice the per-connection figure's, 10,000 in a full run. */
    public int smallHeapStreams() {
        return 2 * this.idleStreams;
    }

    public boolean runs(String part) {
        return this.parts.contains(part);
    }

    public SuiteOptions withParts(Set<String> parts) {
        return new SuiteOptions(parts, this.out, this.jmhForks, this.jmhWarmups, this.jmhIterations,
                this.jmhIterationTime, this.jmhThreads, this.jmhServerThreads, this.jmhProfiler, this.httpRounds,
                this.httpRequests, this.httpClients, this.sseSubscribers, this.sseEvents, this.replayEvents,
                this.replayRounds, this.parkedPolls, this.idleSessions, this.idleStreams, this.mcpRounds,
                this.mcpRoundTime, this.mcpClients, this.dynamoDbCountedAppends);
    }

    public SuiteOptions withOut(Path out) {
        return new SuiteOptions(this.parts, out, this.jmhForks, this.jmhWarmups, this.jmhIterations,
                this.jmhIterationTime, this.jmhThreads, this.jmhServerThreads, this.jmhProfiler, this.httpRounds,
                this.httpRequests, this.httpClients, this.sseSubscribers, this.sseEvents, this.replayEvents,
                this.replayRounds, this.parkedPolls, this.idleSessions, this.idleStreams, this.mcpRounds,
                this.mcpRoundTime, this.mcpClients, this.dynamoDbCountedAppends);
    }

    public SuiteOptions withJmhProfiler(@Nullable String profiler) {
        return new SuiteOptions(this.parts, this.out, this.jmhForks, this.jmhWarmups, this.jmhIterations,
                this.jmhIterationTime, this.jmhThreads, this.jmhServerThreads, profiler, this.httpRounds,
                this.httpRequests, this.httpClients, this.sseSubscribers, this.sseEvents, this.replayEvents,
                this.replayRounds, this.parkedPolls, this.idleSessions, this.idleStreams, this.mcpRounds,
                this.mcpRoundTime, this.mcpClients, this.dynamoDbCountedAppends);
    }

}
