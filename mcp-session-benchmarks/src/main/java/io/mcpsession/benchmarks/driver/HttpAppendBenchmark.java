package io.mcpsession.benchmarks.driver;

import java.util.List;

import io.mcpsession.benchmarks.SuiteOptions;
import io.mcpsession.benchmarks.app.AppInstances;
import io.mcpsession.benchmarks.report.Measurement;
import io.mcpsession.benchmarks.report.ResultRow;
import io.mcpsession.benchmarks.report.ResultRow.Verdict;

/**
 * HTTP append throughput against a no-op POST of the same application: the same clients, connections and body,
 * in alternating rounds, so that each round's ratio compares two neighbouring measurements.
 */
public final class HttpAppendBenchmark {

    /** Sessions the appends spread over. */
    static final int SESSIONS = 100;

    static final double TARGET = 0.8;

    private HttpAppendBenchmark() {
    }

    public static List<ResultRow> run(AppInstances app, SuiteOptions options) throws Exception {
        int port = app.port(0);
        HttpAppends appends = new HttpAppends(port, "http", SESSIONS, options.httpClients());
        int rounds = options.httpRounds();
        double[] appendRates = new double[rounds];
        double[] noopRates = new double[rounds];
        double[] ratios = new double[rounds];
        try (ClosedLoop loop = new ClosedLoop(port, options.httpClients())) {
            // Warm-up: both paths compiled and connections primed before anything counts.
            loop.run(options.httpRequests(), appends::noop);
            loop.run(options.httpRequests(), appends::append);
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    noopRates[r] = loop.run(options.httpRequests(), appends::noop);
                    appendRates[r] = loop.run(options.httpRequests(), appends::append);
                }
                else {
                    appendRates[r] = loop.run(options.httpRequests(), appends::append);
                    noopRates[r] = loop.run(options.httpRequests(), appends::noop);
                }
                ratios[r] = appendRates[r] / noopRates[r];
            }
        }
        Measurement append = Measurement.ofRounds(appendRates, "req/s");
        Measurement noop = Measurement.ofRounds(noopRates, "req/s");
        Measurement ratio = Measurement.ofRounds(ratios, "×");
        String variant = "memory, " + SESSIONS + " sessions, " + options.httpClients() + " clients, 1% duplicates";
        return List.of(new ResultRow("HTTP append (POST events)", variant, append, "no-op POST, same app", noop, ratio,
                "≥ 0.8× no-op", Verdict.of(ratio.value() >= TARGET)));
    }

}
