package io.mcpsession.benchmarks.driver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.mcpsession.benchmarks.SuiteOptions;
import io.mcpsession.benchmarks.app.AppInstances;
import io.mcpsession.benchmarks.report.Measurement;
import io.mcpsession.benchmarks.report.ResultRow;
import io.mcpsession.benchmarks.report.ResultRow.Verdict;
import io.mcpsession.web.SessionStreams;

/**
 * HTTP append throughput while long-polls are parked on other sessions, against the same appends with none
 * parked, in alternating rounds. Each parked round parks its polls on fresh idle sessions and ends them by
 * deleting those sessions (every waiter answers {@code 404}), so that no waiter outlives its round.
 */
public final class LongPollBenchmark {

    static final double TARGET = 0.9;

    private LongPollBenchmark() {
    }

    public static List<ResultRow> run(AppInstances app, SuiteOptions options) throws Exception {
        int port = app.port(0);
        SessionStreams streams = app.bean(0, SessionStreams.class);
        int parked = options.parkedPolls();
        HttpAppends appends = new HttpAppends(port, "lp", HttpAppendBenchmark.SESSIONS, options.httpClients());
        int rounds = options.httpRounds();
        double[] none = new double[rounds];
        double[] withPolls = new double[rounds];
        double[] ratios = new double[rounds];
        try (ClosedLoop loop = new ClosedLoop(port, options.httpClients());
                HttpConnection setup = new HttpConnection(port)) {
            loop.run(options.httpRequests(), appends::append);
            for (int r = 0; r < rounds; r++) {
                if (r % 2 == 0) {
                    none[r] = loop.run(options.httpRequests(), appends::append);
                    withPolls[r] = withParkedPolls(loop, appends, setup, streams, port, "idle-" + r, parked,
                            options.httpRequests());
                }
                else {
                    withPolls[r] = withParkedPolls(loop, appends, setup, streams, port, "idle-" + r, parked,
                            options.httpRequests());
                    none[r] = loop.run(options.httpRequests(), appends::append);
                }
                ratios[r] = withPolls[r] / none[r];
            }
        }
        Measurement ratio = Measurement.ofRounds(ratios, "×");
        String variant = "memory, " + parked + " parked long-polls (waitMs=30000) on idle sessions, "
                + options.httpClients() + " append clients";
        List<ResultRow> rows = new ArrayList<>();
        rows.add(new ResultRow("HTTP append with parked long-polls", variant, Measurement.ofRounds(withPolls, "req/s"),
                "same appends, no long-poll parked", Measurement.ofRounds(none, "req/s"), ratio,
                "costs ≤ 10% (≥ 0.9×)", Verdict.of(ratio.value() >= TARGET)));
        return rows;
    }

    private static double withParkedPolls(ClosedLoop loop, HttpAppends appends, HttpConnection setup,
            SessionStreams streams, int port, String prefix, int parked, int requests) throws Exception {
        List<String> sessionIds = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < parked; i++) {
            String sessionId = prefix + "-" + i;
            Api.createSession(setup, sessionId);
            sessionIds.add(sessionId);
            paths.add(Api.eventsPath(sessionId) + "?after=0&waitMs=30000");
        }
        int before = streams.waitingPolls();
        double rate;
        try (ParkedPolls polls = ParkedPolls.open(port, paths)) {
            Pacing.until(() -> streams.waitingPolls() >= before + parked, Duration.ofSeconds(60),
                    parked + " long-polls to park");
            rate = loop.run(requests, appends::append);
            for (String sessionId : sessionIds) {
                Api.deleteSession(setup, sessionId);
            }
            Pacing.until(() -> polls.ended() == parked, Duration.ofSeconds(60), "the parked long-polls to end");
        }
        Pacing.until(() -> streams.waitingPolls() <= before, Duration.ofSeconds(60), "the server to free its waiters");
        return rate;
    }

}
