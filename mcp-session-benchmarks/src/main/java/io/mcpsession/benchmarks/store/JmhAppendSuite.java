package io.mcpsession.benchmarks.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

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

/**
 * Runs {@link AppendBenchmark} through JMH's runner for every caller count and turns its scores into rows: the
 * store API against the raw engine of the same run.
 */
public final class JmhAppendSuite {

    /** The memory store's absolute target, in appends per second in process. */
    static final double MEMORY_TARGET = 500_000;

    private final SuiteOptions options;

    public JmhAppendSuite(SuiteOptions options) {
        this.options = options;
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
                    String variant = name + ", " + sessions + ("1".equals(sessions) ? " hot session, " : " sessions, ")
                            + threads + (threads == 1 ? " thread" : " threads");
                    rows.add(ResultRow.compared("append (store API, JMH)", variant, api,
                            "raw engine (lock + FIFO + id map)", raw, plain ? "≥ 500k appends/s" : "",
                            plain ? Verdict.of(api.value() >= MEMORY_TARGET) : Verdict.INFO));
                }
            }
        }
        for (String store : StoreTargets.PENDING) {
            String target = "jdbc".equals(store) ? "PostgreSQL ≥ 0.7× raw" : "≥ 0.6× raw";
            rows.add(ResultRow.pending("append (store API, JMH)", store, target));
        }
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
        ChainedOptionsBuilder builder = new OptionsBuilder()
            .include(AppendBenchmark.class.getName() + ".append")
            .param("store", store)
            .param("target", targets)
            .param("sessions", sessions)
            .mode(mode)
            .threads(threads)
            .forks(forks)
            .warmupIterations(this.options.jmhWarmups())
            .measurementIterations(this.options.jmhIterations())
            .warmupTime(TimeValue.fromString(this.options.jmhIterationTime()))
            .measurementTime(TimeValue.fromString(this.options.jmhIterationTime()))
            .jvmArgsAppend("-Xms4g", "-Xmx4g")
            .shouldFailOnError(true)
            .resultFormat(ResultFormatType.JSON)
            .result(resultFile(store + ((mode == Mode.Throughput) ? "" : "-" + mode.shortLabel()), threads)
                .toString());
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
        Collection<RunResult> results = new Runner(builder.build()).run();
        return new ArrayList<>(results);
    }

    private Path resultFile(String store, int threads) {
        return this.options.out().resolve("jmh-append-" + store + "-" + threads + "t.json");
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
