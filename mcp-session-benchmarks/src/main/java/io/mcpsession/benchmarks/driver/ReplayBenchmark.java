package io.mcpsession.benchmarks.driver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import io.mcpsession.benchmarks.SuiteOptions;
import io.mcpsession.benchmarks.app.AppInstances;
import io.mcpsession.benchmarks.report.Measurement;
import io.mcpsession.benchmarks.report.ResultRow;
import io.mcpsession.benchmarks.report.ResultRow.Verdict;
import io.mcpsession.benchmarks.store.AppendWorkload;
import io.mcpsession.benchmarks.store.StoreApiTarget;
import io.mcpsession.core.NewEvent;
import io.mcpsession.store.SessionStore;

/**
 * Resume replay: a client reconnects from the start of a full session log and receives every event over SSE.
 * Baselines: a raw read of the same events through the store API (in process, no encoding), and the same
 * events as JSON pages over HTTP ({@code limit=1000}). Rounds alternate the three.
 */
public final class ReplayBenchmark {

    static final double TARGET = 0.25;

    private ReplayBenchmark() {
    }

    public static List<ResultRow> run(AppInstances app, SuiteOptions options) throws Exception {
        int port = app.port(0);
        int events = options.replayEvents();
        SessionStore store = app.store(0);
        String sessionId = "replay";
        try (HttpConnection connection = new HttpConnection(port)) {
            Api.createSession(connection, sessionId);
        }
        fill(store, sessionId, events);
        StoreApiTarget raw = new StoreApiTarget(store);
        int rounds = options.replayRounds();
        double[] sse = new double[rounds];
        double[] storeRead = new double[rounds];
        double[] jsonPages = new double[rounds];
        double[] ratios = new double[rounds];
        for (int r = -2; r < rounds; r++) {
            double sseRate = replayOverSse(port, sessionId, events);
            double rawRate = readThroughStore(raw, sessionId, events);
            double jsonRate = readJsonPages(port, sessionId, events);
            if (r >= 0) {
                sse[r] = sseRate;
                storeRead[r] = rawRate;
                jsonPages[r] = jsonRate;
                ratios[r] = sseRate / rawRate;
            }
        }
        // Ends the server's side of the replayed streams (each gets session.closed).
        try (HttpConnection connection = new HttpConnection(port)) {
            Api.deleteSession(connection, sessionId);
        }
        Measurement replay = Measurement.ofRounds(sse, "events/s");
        Measurement json = Measurement.ofRounds(jsonPages, "events/s");
        Measurement ratio = Measurement.ofRounds(ratios, "×");
        String variant = "memory, " + events + "-event session, " + rounds + " rounds";
        List<ResultRow> rows = new ArrayList<>();
        rows.add(new ResultRow("resume replay over SSE", variant, replay, "raw read through the store API",
                Measurement.ofRounds(storeRead, "events/s"), ratio, "≥ 0.25× raw read",
                Verdict.of(ratio.value() >= TARGET)));
        rows.add(ResultRow.compared("resume replay over SSE", variant, replay, "JSON pages over HTTP (limit=1000)",
                json, "", Verdict.INFO));
        return rows;
    }

    private static void fill(SessionStore store, String sessionId, int events) {
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 1; i <= events; i++) {
            batch.add(NewEvent.of("r" + i, AppendWorkload.TYPE, AppendWorkload.DATA));
            if (batch.size() == 1000 || i == events) {
                store.appendAll(sessionId, batch);
                batch.clear();
            }
        }
    }

    private static double replayOverSse(int port, String sessionId, int events) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger received = new AtomicInteger();
        long[] finished = new long[1];
        long began = System.nanoTime();
        try (SseSubscribers stream = SseSubscribers.open(port, List.of(Api.streamPath(sessionId, 0)),
                (subscriber, id, type, data, nanos) -> {
                    if (received.incrementAndGet() == events) {
                        finished[0] = nanos;
                        done.countDown();
                    }
                })) {
            Pacing.await(done, Duration.ofSeconds(120), "the replay of " + events + " events");
        }
        return events / ((finished[0] - began) / 1e9);
    }

    private static double readThroughStore(StoreApiTarget raw, String sessionId, int events) {
        // One read takes well under a millisecond: repeat it so that the clock's resolution does not matter.
        int repeats = 20;
        long began = System.nanoTime();
        for (int i = 0; i < repeats; i++) {
            if (raw.readAll(sessionId) != events) {
                throw new IllegalStateException("The store read fewer than " + events + " events");
            }
        }
        return (double) events * repeats / ((System.nanoTime() - began) / 1e9);
    }

    private static double readJsonPages(int port, String sessionId, int events) throws Exception {
        long began = System.nanoTime();
        try (HttpConnection connection = new HttpConnection(port)) {
            for (long after = 0; after < events; after += 1000) {
                Api.expect(connection.send("GET", Api.eventsPath(sessionId) + "?after=" + after + "&limit=1000", null),
                        200);
            }
        }
        return events / ((System.nanoTime() - began) / 1e9);
    }

}
