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
 * The NATS rows of the append benchmark: {@code NatsSessionStore} against one guarded JetStream publish of the
 * same message ({@link RawNatsEngine}), in the same JMH run, 1 hot session and 1,000 sessions, at the server
 * caller counts. One fork per configuration: a round trip to the server, not JIT noise, dominates each append.
 */
public final class NatsAppendSuite {

    /** The store against the raw publish: at least this ratio. */
    static final double TARGET = 0.6;

    static final String BASELINE = "guarded JetStream publish of the same message";

    private final SuiteOptions options;

    private final JmhAppendSuite jmh;

    public NatsAppendSuite(SuiteOptions options) {
        this.options = options;
        this.jmh = new JmhAppendSuite(options);
    }

    public List<ResultRow> run() throws RunnerException, IOException {
        Files.createDirectories(this.options.out());
        List<ResultRow> rows = new ArrayList<>();
        String[] both = { "1", "1000" };
        for (int threads : this.options.jmhServerThreads()) {
            List<RunResult> results = this.jmh.runJmh(threads, "nats",
                    new String[] { StoreTargets.API, StoreTargets.RAW }, both, Mode.Throughput,
                    Math.min(this.options.jmhForks(), 1));
            for (String sessions : both) {
                Measurement api = JmhAppendSuite.score(results, StoreTargets.API, sessions);
                Measurement raw = JmhAppendSuite.score(results, StoreTargets.RAW, sessions);
                rows.add(ResultRow.compared(JdbcAppendSuite.BENCHMARK,
                        "nats (JetStream), " + JmhAppendSuite.shape(sessions, threads), api, BASELINE, raw,
                        "≥ 0.6× raw", Verdict.of(api.over(raw).value() >= TARGET)));
            }
        }
        return rows;
    }

}
