package io.mcpsession.benchmarks.driver;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.mcpsession.benchmarks.SuiteOptions;
import io.mcpsession.benchmarks.app.AppInstances;
import io.mcpsession.benchmarks.report.Measurement;
import io.mcpsession.benchmarks.report.ResultRow;
import io.mcpsession.benchmarks.report.ResultRow.Verdict;
import io.mcpsession.benchmarks.report.Stats;
import io.mcpsession.web.SessionStreams;

/**
 * Long-poll wake-up across instances: a long-poll parks on the last instance, the driver appends on the first,
 * and the figure is the time from sending the append to the poll's answer arriving, one poll at a time. The
 * baseline is the same append answered on the first instance alone (its HTTP round trip), so the ratio shows
 * what crossing instances adds.
 */
public final class WakeUpBenchmark {

    private WakeUpBenchmark() {
    }

    public static List<ResultRow> run(AppInstances app, SuiteOptions options) throws Exception {
        int appendPort = app.port(0);
        int pollPort = app.port(app.count() - 1);
        SessionStreams pollServer = app.bean(app.count() - 1, SessionStreams.class);
        String sessionId = "wake-up";
        int samples = options.sseEvents();
        int warmups = Math.max(3, samples / 10);
        long[] wakeUps = new long[samples];
        long[] appends = new long[samples];
        ExecutorService poller = Executors.newSingleThreadExecutor();
        try (HttpConnection appender = new HttpConnection(appendPort);
                HttpConnection polls = new HttpConnection(pollPort)) {
            Api.createSession(appender, sessionId);
            for (int k = 0; k < warmups + samples; k++) {
                long after = k;
                // The previous poll leaves the count just after its answer; this one parks on a clean slate.
                Pacing.until(() -> pollServer.waitingPolls() == 0, Duration.ofSeconds(30), "the last poll to end");
                Future<Long> answered = poller.submit(() -> {
                    Api.expect(polls.send("GET", Api.eventsPath(sessionId) + "?after=" + after + "&waitMs=30000",
                            null), 200);
                    return System.nanoTime();
                });
                Pacing.until(() -> pollServer.waitingPolls() > 0 || answered.isDone(), Duration.ofSeconds(30),
                        "the poll to park");
                if (answered.isDone()) {
                    throw new IllegalStateException("The poll after " + after + " was answered before any append: "
                            + answered.get());
                }
                long sent = System.nanoTime();
                Api.expect(appender.send(Api.append(sessionId, Api.eventBody("w" + k, "tick", "{}"))), 201);
                long appended = System.nanoTime();
                long woke = answered.get(30, TimeUnit.SECONDS);
                if (k >= warmups) {
                    wakeUps[k - warmups] = woke - sent;
                    appends[k - warmups] = appended - sent;
                }
            }
            Api.deleteSession(appender, sessionId);
        }
        finally {
            poller.shutdownNow();
        }
        String variant = app.profile().label() + ", " + app.count() + " instances, " + samples + " samples";
        String baseline = "the append's own round trip";
        return List.of(
                ResultRow.compared("long-poll wake-up p50", variant, millis(Stats.percentileMillis(wakeUps, 50)),
                        baseline, millis(Stats.percentileMillis(appends, 50)), "", Verdict.INFO),
                ResultRow.compared("long-poll wake-up p99", variant, millis(Stats.percentileMillis(wakeUps, 99)),
                        baseline, millis(Stats.percentileMillis(appends, 99)), "", Verdict.INFO));
    }

    private static Measurement millis(double value) {
        return Measurement.of(value, 0, "ms");
    }

}
