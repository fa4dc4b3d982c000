package io.mcpsession.benchmarks.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import io.mcpsession.benchmarks.SuiteOptions;
import io.mcpsession.benchmarks.report.Measurement;
import io.mcpsession.benchmarks.report.ResultRow;
import io.mcpsession.benchmarks.report.ResultRow.Verdict;
import io.mcpsession.core.Limits;

/**
 * Runs {@link AppendBenchmark} through JMH's runner for every caller count and turns its scores into rows: the
 * store API against the raw engine of the same run. For Redis it also runs {@link ReplayReadBenchmark}.
 */
public final class JmhAppendSuite {

    /** The memory store's absolute target, in appends per second in process. */
    static final double MEMORY_TARGET = 500_000;

    /** The Redis store's append target, as a share of the same script called raw. */
    static final double REDIS_APPEND_TARGET = 0.6;

    /** The Redis store's replay target, as a share of a raw range read. */
    static final double REDIS_REPLAY_TARGET = 0.25;

    private final SuiteOptions options;

    private final String[] forkJvmArgs;

    public JmhAppendSuite(SuiteOptions options) {
        this(options, new String[0]);
    }

    /** @param extraForkJvmArgs JVM arguments for JMH's forks beside the heap size */
    JmhAppendSuite(SuiteOptions options, String... extraForkJvmArgs) {
        this.options = options;
        this.forkJvmArgs = java.util.stream.Stream.concat(java.util.stream.Stream.of("-Xms4g", "-Xmx4g"),
                java.util.Arrays.stream(extraForkJvmArgs)).toArray(String[]::new);
    }

    public List<ResultRow> run() throws RunnerException, java.io.IOException {
        List<ResultRow> rows = new ArrayList<>();
        Files.createDirectories(this.options.out());
        for (int threads : this.options.jmhThreads()) {
            List<RunResult> memory = runJmh(threads, "memory", new String[] { StoreTargets.API, StoreTargets.RAW });
            List<RunResult> observed = runJmh(threads, "memory-observed", new String[] { StoreTargets.API });
            for (String sessions : List.of("1", "1000")) {
                Measurement raw = score(memory, StoreTargets.RAW, sessions);
                for (List<RunResult> store : List.of(memory, observed)) {
                    Measurement api = score(store, StoreTargets.API, sessions);
                    String name = store.get(0).getParams().getParam("store");
                    boolean plain = "memory".equals(name);
                    String variant = name + ", " + shape(sessions, threads);
                    rows.add(ResultRow.compared("append (store API, JMH)", variant, api,
                            "raw engine (lock + FIFO + id map)", raw, plain ? "≥ 500k appends/s" : "",
                            plain ? Verdict.of(api.value() >= MEMORY_TARGET) : Verdict.INFO));
                }
            }
        }
        rows.addAll(redis());
        return rows;
    }

    private List<ResultRow> redis() throws RunnerException {
        List<ResultRow> rows = new ArrayList<>();
        for (int threads : this.options.jmhServerThreads()) {
            List<RunResult> results = runJmh(threads, "redis", new String[] { StoreTargets.API, StoreTargets.RAW });
            for (String sessions : List.of("1", "1000")) {
                Measurement api = score(results, StoreTargets.API, sessions);
                Measurement raw = score(results, StoreTargets.RAW, sessions);
                String variant = "redis, " + shape(sessions, threads);
                rows.add(ResultRow.compared("append (store API, JMH)", variant, api, "same Lua script via Lettuce",
                        raw, "≥ 0.6× raw", Verdict.of(api.over(raw).value() >= REDIS_APPEND_TARGET)));
            }
        }
        // One caller: a replay is one stream's catch-up, and its rate is what that stream waits for.
        int events = Math.min(this.options.replayEvents(), StoreTargets.settings().maxEventsPerSession());
        List<RunResult> replay = run(builder(1, "redis", ReplayReadBenchmark.class.getName() + ".replay",
                new String[] { StoreTargets.API, StoreTargets.RAW })
            .param("events", Integer.toString(events))
            .result(this.options.out().resolve("jmh-replay-redis.json").toString()));
        Measurement api = eventsPerSecond(replay, StoreTargets.API, events);
        Measurement raw = eventsPerSecond(replay, StoreTargets.RAW, events);
        rows.add(ResultRow.compared("replay read (store API, JMH)",
                String.format(Locale.ROOT, "redis, %,d-event session, pages of %d", events, Limits.MAX_READ_LIMIT),
                api, "raw range read (XRANGE pages of " + Limits.MAX_READ_LIMIT + ")", raw,
                "≥ 0.25× raw range read", Verdict.of(api.over(raw).value() >= REDIS_REPLAY_TARGET)));
        return rows;
    }

    private List<RunResult> runJmh(int threads, String store, String[] targets) throws RunnerException {
        return runJmh(threads, store, targets, new String[] { "1", "1000" }, Mode.Throughput,
                this.options.jmhForks());
    }

    /**
     * Runs {@link AppendBenchmark} for one caller count and store, writing JMH's JSON beside the table.
     * @param mode {@link Mode#Throughput} for rates, {@link Mode#SampleTime} for latency percentiles
     */
    List<RunResult> runJmh(int threads, String store, String[] targets, String[] sessions, Mode mode, int forks)
            throws RunnerException {
        String file = store + ((mode == Mode.Throughput) ? "" : "-" + mode.shortLabel());
        return run(builder(threads, store, AppendBenchmark.class.getName() + ".append", targets)
            .param("sessions", sessions)
            .mode(mode)
            .forks(forks)
            .result(resultFile(file, threads).toString()));
    }

    private ChainedOptionsBuilder builder(int threads, String store, String benchmark, String[] targets) {
        ChainedOptionsBuilder builder = new OptionsBuilder()
            .include(benchmark)
            .param("store", store)
            .param("target", targets)
            .threads(threads)
            .forks(this.options.jmhForks())
            .warmupIterations(this.options.jmhWarmups())
            .measurementIterations(this.options.jmhIterations())
            .warmupTime(TimeValue.fromString(this.options.jmhIterationTime()))
            .measurementTime(TimeValue.fromString(this.options.jmhIterationTime()))
            .jvmArgsAppend(this.forkJvmArgs)
            .shouldFailOnError(true)
            .resultFormat(ResultFormatType.JSON);
        String profiler = this.options.jmhProfiler();
        if (profiler != null) {
            // As JMH's -prof: a name, then its options after a colon.
            int colon = profiler.indexOf(':');
            if (colon < 0) {
                builder.addProfiler(profiler);
            }
            else {
                builder.addProfiler(profiler.substring(0, colon), profiler.substring(colon + 1));
            }
        }
        return builder;
    }

    private static List<RunResult> run(ChainedOptionsBuilder builder) throws RunnerException {
        Collection<RunResult> results = new Runner(builder.build()).run();
        return new ArrayList<>(results);
    }

    private Path resultFile(String store, int threads) {
        return this.options.out().resolve("jmh-append-" + store + "-" + threads + "t.json");
    }

    /** A replay's score (replays per second) as events per second. */
    private static Measurement eventsPerSecond(List<RunResult> results, String target, int events) {
        for (RunResult result : results) {
            if (target.equals(result.getParams().getParam("target"))) {
                var primary = result.getPrimaryResult();
                return Measurement.of(primary.getScore() * events, primary.getScoreError() * events, "events/s");
            }
        }
        throw new IllegalStateException("JMH produced no replay score for target=" + target);
    }

    /** The shape of an append run in a row's words: {@code 1 hot session, 8 threads}. */
    static String shape(String sessions, int threads) {
        return ("1".equals(sessions) ? "1 hot session, " : sessions + " sessions, ") + threads
                + ((threads == 1) ? " thread" : " threads");
    }

    static Measurement score(List<RunResult> results, String target, String sessions) {
        for (RunResult result : results) {
            if (target.equals(result.getParams().getParam("target"))
                    && sessions.equals(result.getParams().getParam("sessions"))) {
                var primary = result.getPrimaryResult();
                return Measurement.of(primary.getScore(), primary.getScoreError(), "ops/s");
            }
        }
        throw new IllegalStateException("JMH produced no score for target=" + target + ", sessions=" + sessions);
    }

}
