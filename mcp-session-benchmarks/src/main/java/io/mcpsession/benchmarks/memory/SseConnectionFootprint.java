package io.mcpsession.benchmarks.memory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.mcpsession.benchmarks.SuiteOptions;
import io.mcpsession.benchmarks.app.AppInstances;
import io.mcpsession.benchmarks.app.BroadcastController;
import io.mcpsession.benchmarks.app.ServletContainer;
import io.mcpsession.benchmarks.app.StoreProfile;
import io.mcpsession.benchmarks.driver.Api;
import io.mcpsession.benchmarks.driver.HttpConnection;
import io.mcpsession.benchmarks.driver.Pacing;
import io.mcpsession.benchmarks.report.Measurement;
import io.mcpsession.benchmarks.report.ResultRow;
import io.mcpsession.benchmarks.report.ResultRow.Verdict;
import io.mcpsession.core.NewSession;
import io.mcpsession.store.SessionStore;
import io.mcpsession.web.SessionStreams;

/**
 * Heap per idle SSE connection on the server: N session streams held open by a separate client process
 * ({@link IdleStreamClient}), measured as the heap in use after full collections with and without them. The
 * baseline is the same number of bare {@code ResponseBodyEmitter} streams ({@link BroadcastController}). Class
 * histogram growth of both is written next to the results, to show where the bytes go.
 */
public final class SseConnectionFootprint {

    static final double TARGET_BYTES = 32 * 1024;

    private static final int WARM_UP = 10;

    /** The heap of the JVM that measures one container, as the suite's own. */
    private static final String MAX_HEAP = "4g";

    private SseConnectionFootprint() {
    }

    public static List<ResultRow> run(SuiteOptions options) throws Exception {
        int streams = options.idleStreams();
        Files.createDirectories(options.out());
        Path histograms = options.out().resolve("sse-connection-histogram.txt");
        Files.deleteIfExists(histograms);
        List<ResultRow> rows = new ArrayList<>();
        for (ServletContainer container : ServletContainer.values()) {
            // Each container in a JVM of its own: what an earlier app left for the collector to find later would
            // otherwise move this one's figures (once by more than the whole figure, below zero).
            String result;
            try (ChildJvm child = ChildJvm.start(SseConnectionFootprint.class, MAX_HEAP, container.name(),
                    Integer.toString(streams), histograms.toString())) {
                result = child.lineStartingWith("RESULT ");
            }
            if (result == null) {
                throw new IllegalStateException("The footprint on " + container.displayName() + " ended without a result");
            }
            String[] figures = result.split(" ");
            double library = Double.parseDouble(figures[1]);
            double baseline = Double.parseDouble(figures[2]);
            String variant = "memory, " + streams + " open idle streams, client in another process, "
                    + container.displayName();
            rows.add(ResultRow.compared("heap per idle SSE connection (heap after GC)", variant,
                    Measurement.of(library, 0, "B"), "bare ResponseBodyEmitter stream",
                    Measurement.of(baseline, 0, "B"), "≤ 32 KiB", Verdict.of(library <= TARGET_BYTES)));
        }
        return rows;
    }

    /**
     * Measures one container in this JVM: appends the class histograms to a file and prints
     * {@code RESULT <bytes per session stream> <bytes per bare stream>}.
     * <p>
     * Arguments: the container ({@code TOMCAT} or {@code JETTY}), the number of streams, the histogram file.
     */
    public static void main(String[] args) throws Exception {
        List<String> report = new ArrayList<>();
        double[] figures = measure(Integer.parseInt(args[1]), ServletContainer.valueOf(args[0]), report);
        Files.write(Path.of(args[2]), report, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.println(String.format(Locale.ROOT, "RESULT %.1f %.1f", figures[0], figures[1]));
        System.out.flush();
        System.exit(0);
    }

    /** Bytes per session stream and per bare stream, on one container. */
    private static double[] measure(int streams, ServletContainer container, List<String> report) throws Exception {
        double library;
        double baseline;
        try (AppInstances app = AppInstances.start(StoreProfile.MEMORY, container, 1,
                // Room for every stream of the figure (the instance's default cap is 1,000).
                Map.of("mcp.session.sse.max-streams", streams + WARM_UP))) {
            report.add("#### " + container.displayName() + " (" + app.webServer(0).getClass().getName() + ")");
            int port = app.port(0);
            SessionStore store = app.store(0);
            for (int i = 0; i < streams; i++) {
                store.create(NewSession.withId("idle-stream-" + i));
            }
            for (int i = 0; i < WARM_UP; i++) {
                store.create(NewSession.withId("warm-stream-" + i));
            }
            SessionStreams sessionStreams = app.bean(0, SessionStreams.class);
            // Warm the connector and both endpoints so that one-off allocations are not counted.
            hold(port, WARM_UP, Api.streamPath("warm-stream-%d", 0), () -> {
                for (int i = 0; i < WARM_UP; i++) {
                    store.delete("warm-stream-" + i);
                }
            }, report, "warm-up");
            // At full size: the container keeps closed connections' channels and processors for reuse, so
            // whichever figure came second would find them ready; fill those caches before either is measured.
            hold(port, streams, BroadcastController.PATH, () -> closeBaselineStreams(port), report, "warm-up");
            Pacing.until(() -> sessionStreams.activeStreams() == 0, Duration.ofSeconds(60), "warm-up streams to end");
            library = hold(port, streams, Api.streamPath("idle-stream-%d", 0), () -> {
                for (int i = 0; i < streams; i++) {
                    store.delete("idle-stream-" + i);
                }
            }, report, "session streams (library)");
            Pacing.until(() -> sessionStreams.activeStreams() == 0, Duration.ofSeconds(60), "session streams to end");
            baseline = hold(port, streams, BroadcastController.PATH, () -> closeBaselineStreams(port), report,
                    "bare ResponseBodyEmitter streams (baseline)");
        }
        return new double[] { library, baseline };
    }

    /**
     * Opens {@code count} streams from a child process, measures the heap they hold, then ends them with
     * {@code end} and lets the child go. Returns bytes per stream.
     */
    private static double hold(int port, int count, String pathPattern, Runnable end, List<String> report,
            String what) throws Exception {
        Map<String, Long> histogramBefore = Heap.histogram();
        long before = Heap.usedAfterGc();
        try (ChildJvm client = ChildJvm.start(IdleStreamClient.class, "512m", Integer.toString(port),
                Integer.toString(count), pathPattern)) {
            String ready = client.lineStartingWith("READY");
            if (ready == null || !ready.equals("READY " + count + " 0")) {
                throw new IllegalStateException("The stream client did not open every stream: " + ready);
            }
            long after = Heap.usedAfterGc();
            Map<String, Long> histogramAfter = Heap.histogram();
            double perStream = (double) (after - before) / count;
            report.add(String.format(Locale.ROOT, "== %s: %d streams, %.0f B per stream (heap after GC), %d live threads",
                    what, count, perStream, ManagementFactory.getThreadMXBean().getThreadCount()));
            report.addAll(Heap.growth(histogramBefore, histogramAfter, count, 25));
            report.add("");
            end.run();
            return perStream;
        }
    }

    private static void closeBaselineStreams(int port) {
        try (HttpConnection connection = new HttpConnection(port)) {
            Api.expect(connection.send("DELETE", BroadcastController.PATH, null), 204);
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
