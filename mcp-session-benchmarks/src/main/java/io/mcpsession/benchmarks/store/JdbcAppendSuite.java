package io.mcpsession.benchmarks.store;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;

import io.mcpsession.benchmarks.SuiteOptions;
import io.mcpsession.benchmarks.report.Measurement;
import io.mcpsession.benchmarks.report.ResultRow;
import io.mcpsession.benchmarks.report.ResultRow.Verdict;

/**
 * The JDBC rows of the append benchmark, on PostgreSQL: the store with NOTIFY off ({@code jdbc}) and on
 * ({@code jdbc-notify}) against the same statements through plain JDBC, for every caller count, 1 hot session
 * and 1,000 sessions; the hot session's many callers against the raw engine's single writer; and their p99.
 * One fork per configuration: a database round trip, not JIT noise, dominates each append.
 */
public final class JdbcAppendSuite {

    static final String BENCHMARK = "append (store API, JMH)";

    static final String BASELINE = "same statements, plain JDBC";

    /** Over 1,000 sessions, the store against raw: at least this ratio. */
    static final double SPREAD_TARGET = 0.7;

    /** A hot session under the most callers, against raw's single writer: at least this ratio. */
    static final double HOT_TARGET = 0.8;

    /** A hot session under the most callers: p99 at most this, in milliseconds. */
    static final double HOT_P99_TARGET_MS = 20;

    private final SuiteOptions options;

    private final JmhAppendSuite jmh;

    public JdbcAppendSuite(SuiteOptions options) {
        this.options = options;
        this.jmh = new JmhAppendSuite(options);
    }

    public List<ResultRow> run() throws RunnerException, IOException {
        Files.createDirectories(this.options.out());
        List<ResultRow> rows = new ArrayList<>();
        int forks = Math.min(this.options.jmhForks(), 1);
        String[] both = { "1", "1000" };
        int most = 0;
        for (int threads : this.options.jmhThreads()) {
            most = Math.max(most, threads);
            List<RunResult> plain = this.jmh.runJmh(threads, "jdbc", new String[] { StoreTargets.API,
                    StoreTargets.RAW }, both, Mode.Throughput, forks);
            List<RunResult> notify = this.jmh.runJmh(threads, "jdbc-notify", new String[] { StoreTargets.API }, both,
                    Mode.Throughput, forks);
            for (String sessions : both) {
                Measurement raw = JmhAppendSuite.score(plain, StoreTargets.RAW, sessions);
                boolean spread = !"1".equals(sessions);
                for (List<RunResult> store : List.of(plain, notify)) {
                    Measurement api = JmhAppendSuite.score(store, StoreTargets.API, sessions);
                    rows.add(ResultRow.compared(BENCHMARK, variant(store, sessions, threads), api, BASELINE, raw,
                            spread ? "≥ 0.7× raw" : "",
                            spread ? Verdict.of(api.value() / raw.value() >= SPREAD_TARGET) : Verdict.INFO));
                }
            }
        }
        Measurement singleWriter = JmhAppendSuite.score(this.jmh.runJmh(1, "jdbc",
                new String[] { StoreTargets.RAW }, new String[] { "1" }, Mode.Throughput, forks), StoreTargets.RAW,
                "1");
        List<RunResult> hot = this.jmh.runJmh(most, "jdbc", new String[] { StoreTargets.API }, new String[] { "1" },
                Mode.Throughput, forks);
        Measurement hotApi = JmhAppendSuite.score(hot, StoreTargets.API, "1");
        rows.add(ResultRow.compared(BENCHMARK, variant(hot, "1", most) + ", against 1 raw writer", hotApi,
                BASELINE + ", 1 thread", singleWriter, "≥ 0.8× raw single writer",
                Verdict.of(hotApi.value() / singleWriter.value() >= HOT_TARGET)));
        RunResult latency = this.jmh.runJmh(most, "jdbc", new String[] { StoreTargets.API }, new String[] { "1" },
                Mode.SampleTime, forks).get(0);
        var statistics = latency.getPrimaryResult().getStatistics();
        double p99 = toMillis(statistics.getPercentile(99), latency.getPrimaryResult().getScoreUnit());
        rows.add(new ResultRow("append latency p99 (store API, JMH)", variant(hot, "1", most) + " ("
                + statistics.getN() + " samples)", Measurement.of(p99, 0, "ms"), "", null, null,
                "p99 ≤ 20 ms", Verdict.of(p99 <= HOT_P99_TARGET_MS)));
        return rows;
    }

    private static String variant(List<RunResult> results, String sessions, int threads) {
        String store = results.get(0).getParams().getParam("store");
        String name = "jdbc-notify".equals(store) ? "jdbc (PostgreSQL), NOTIFY on" : "jdbc (PostgreSQL), NOTIFY off";
        return name + ", " + JmhAppendSuite.shape(sessions, threads);
    }

    /** A JMH sample-time figure, in its unit such as {@code ms/op} or {@code us/op}, in milliseconds. */
    private static double toMillis(double value, String unit) {
        return switch (unit) {
            case "s/op" -> value * 1000;
            case "ms/op" -> value;
            case "us/op" -> value / 1000;
            case "ns/op" -> value / 1_000_000;
            default -> throw new IllegalStateException("Unexpected JMH unit " + unit);
        };
    }

}
