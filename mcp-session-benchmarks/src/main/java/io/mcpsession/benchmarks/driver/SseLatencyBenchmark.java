package io.mcpsession.benchmarks.driver;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.LongFunction;

import io.mcpsession.benchmarks.SuiteOptions;
import io.mcpsession.benchmarks.app.AppInstances;
import io.mcpsession.benchmarks.app.BroadcastController;
import io.mcpsession.benchmarks.app.StoreProfile;
import io.mcpsession.benchmarks.report.Measurement;
import io.mcpsession.benchmarks.report.ResultRow;
import io.mcpsession.benchmarks.report.ResultRow.Verdict;
import io.mcpsession.benchmarks.report.Stats;

/**
 * Append-to-SSE delivery latency: the driver appends an event carrying its send time, and each of N
 * subscribers records when it arrives. The baseline is the same fan-out by a bare {@link BroadcastController}
 * in the same application. With several instances (a shared store), appends go to the first and subscribers
 * read from the last, so the figure crosses instances.
 */
public final class SseLatencyBenchmark {

    /** p99 targets: in memory on one instance, and across two instances of a shared store. */
    static final Map<StoreProfile, Double> TARGET_P99_MILLIS = Map.of(StoreProfile.MEMORY, 5.0, StoreProfile.JDBC,
            15.0, StoreProfile.REDIS, 10.0);

    /** In one instance, the most our p99 may be over the bare emitter's. */
    static final double BARE_FACTOR = 1.25;

    private SseLatencyBenchmark() {
    }

    public static List<ResultRow> run(AppInstances app, SuiteOptions options) throws Exception {
        List<ResultRow> rows = new ArrayList<>();
        int appendPort = app.port(0);
        int readPort = app.port(app.count() - 1);
        String shape = (app.count() > 1) ? app.count() + " instances" : "1 instance";
        double target = TARGET_P99_MILLIS.get(app.profile());
        for (int subscribers : subscribers(app, options)) {
            int events = (subscribers == 1) ? options.sseEvents() * 5 : options.sseEvents();
            String sessionId = "latency-" + subscribers;
            try (HttpConnection connection = new HttpConnection(appendPort)) {
                Api.createSession(connection, sessionId);
            }
            // Ours with a client beside the others that never reads (the bare emitter's POST thread would block on
            // it, so the baseline has none): no other stream may wait for it.
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            threads.resetPeakThreadCount();
            long[] library;
            try (StalledSubscriber stalled = StalledSubscriber.open(readPort, Api.streamPath(sessionId, 0))) {
                library = measure(appendPort, readPort, subscribers, events,
                        Collections.nCopies(subscribers, Api.streamPath(sessionId, 0)),
                        (k) -> Api.append(sessionId,
                                Api.eventBody("k" + k, "tick", LatencyRecorder.data(k, System.nanoTime()))));
            }
            int peakThreads = threads.getPeakThreadCount();
            long[] baseline = measure(appendPort, appendPort, subscribers, events,
                    Collections.nCopies(subscribers, BroadcastController.PATH),
                    (k) -> Api.broadcast(LatencyRecorder.data(k, System.nanoTime())));
            closeBaselineStreams(appendPort);
            // Ends the server's side of the library's streams too (each gets session.closed).
            try (HttpConnection connection = new HttpConnection(appendPort)) {
                Api.deleteSession(connection, sessionId);
            }
            String variant = app.profile().label() + ", " + shape + ", " + subscribers + " subscriber"
                    + (subscribers == 1 ? "" : "s") + " and 1 stalled, " + library.length + " samples";
            Measurement p50 = millis(Stats.percentileMillis(library, 50));
            Measurement p99 = millis(Stats.percentileMillis(library, 99));
            rows.add(ResultRow.compared("append→SSE latency p50", variant, p50, "bare ResponseBodyEmitter fan-out",
                    millis(Stats.percentileMillis(baseline, 50)), "", Verdict.INFO));
            Measurement bareP99 = millis(Stats.percentileMillis(baseline, 99));
            if (app.profile() == StoreProfile.MEMORY) {
                // In one instance the fan-out is the engine's own cost: near the bare emitter's, whatever the count.
                boolean met = p99.value() <= BARE_FACTOR * bareP99.value() && (subscribers > 1 || p99.value() <= target);
                rows.add(ResultRow.compared("append→SSE latency p99", variant, p99, "bare ResponseBodyEmitter fan-out",
                        bareP99, String.format(Locale.ROOT, "≤ %.2f× bare p99%s", BARE_FACTOR,
                                (subscribers > 1) ? "" : String.format(Locale.ROOT, ", ≤ %.0f ms", target)),
                        Verdict.of(met)));
            }
            else {
                rows.add(ResultRow.compared("append→SSE latency p99", variant, p99, "bare ResponseBodyEmitter fan-out",
                        bareP99, String.format(Locale.ROOT, "p99 ≤ %.0f ms", target), Verdict.of(p99.value() <= target)));
            }
            rows.add(new ResultRow("JVM threads during the fan-out (peak)", variant + ", servers and driver in one JVM",
                    Measurement.of(peakThreads, 0, "threads"), "", null, null, "", Verdict.INFO));
        }
        return rows;
    }

    /**
     * The subscriber counts of a run. Across instances of a shared store each stream reads every event from the
     * store itself, so the largest count (a thousand reads of the database per event) is left to the memory rows.
     */
    private static List<Integer> subscribers(AppInstances app, SuiteOptions options) {
        List<Integer> counts = options.sseSubscribers();
        return (app.count() > 1 && counts.size() > 1) ? counts.subList(0, counts.size() - 1) : counts;
    }

    /**
     * Opens the subscribers, then sends paced events one at a time, each once every subscriber has the previous.
     * The first tenth are a warm-up and not recorded.
     */
    static long[] measure(int appendPort, int readPort, int subscribers, int events, List<String> paths,
            LongFunction<byte[]> request) throws Exception {
        LatencyRecorder recorder = new LatencyRecorder(subscribers * events);
        try (SseSubscribers streams = SseSubscribers.open(readPort, paths, recorder);
                HttpConnection connection = new HttpConnection(appendPort)) {
            Pacing.until(() -> streams.open() + streams.failed() == subscribers, Duration.ofSeconds(60),
                    subscribers + " streams to open");
            if (streams.failed() > 0) {
                throw new IllegalStateException(streams.failed() + " streams were refused");
            }
            int warmups = Math.max(3, events / 10);
            for (long k = 0; k < warmups + events; k++) {
                CountDownLatch delivered = recorder.expect(k, subscribers, k >= warmups);
                HttpConnection.Response response = connection.send(request.apply(k));
                if (response.status() < 200 || response.status() > 299) {
                    throw new IllegalStateException("HTTP " + response.status() + ": " + response.text());
                }
                Pacing.await(delivered, Duration.ofSeconds(30), "event " + k + " at every subscriber");
                Pacing.pause(Duration.ofMillis(2));
            }
        }
        return recorder.samples();
    }

    private static void closeBaselineStreams(int port) throws Exception {
        try (HttpConnection connection = new HttpConnection(port)) {
            Api.expect(connection.send("DELETE", BroadcastController.PATH, null), 204);
        }
    }

    private static Measurement millis(double value) {
        return Measurement.of(value, 0, "ms");
    }

}
