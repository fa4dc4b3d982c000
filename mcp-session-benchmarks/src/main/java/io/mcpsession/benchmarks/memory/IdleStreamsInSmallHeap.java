package io.mcpsession.benchmarks.memory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.mcpsession.benchmarks.SuiteOptions;
import io.mcpsession.benchmarks.app.AppInstances;
import io.mcpsession.benchmarks.app.ServletContainer;
import io.mcpsession.benchmarks.driver.Api;
import io.mcpsession.benchmarks.driver.HttpConnection;
import io.mcpsession.benchmarks.report.Measurement;
import io.mcpsession.benchmarks.report.ResultRow;
import io.mcpsession.benchmarks.report.ResultRow.Verdict;

/**
 * Whether a server started with {@code -Xmx512m} ({@link SmallHeapServer}, on each servlet container) holds N idle
 * SSE streams of a client in another JVM ({@link IdleStreamClient}) and still answers appends to other sessions
 * while they are open. Reports the server's heap in use after full collections with the streams open; the target
 * is met when every stream opened and every append answered {@code 201}.
 */
public final class IdleStreamsInSmallHeap {

    static final String MAX_HEAP = "512m";

    private static final int APPENDS = 100;

    private IdleStreamsInSmallHeap() {
    }

    public static List<ResultRow> run(SuiteOptions options) throws Exception {
        int streams = options.smallHeapStreams();
        List<ResultRow> rows = new ArrayList<>();
        for (ServletContainer container : ServletContainer.values()) {
            rows.add(measure(streams, container));
        }
        return rows;
    }

    private static ResultRow measure(int streams, ServletContainer container) throws Exception {
        String variant = String.format(Locale.ROOT, "memory, %,d idle streams from another process, %s, -Xmx%s",
                streams, container.displayName(), MAX_HEAP);
        String target = "all open, appends answer";
        try (ChildJvm server = ChildJvm.start(SmallHeapServer.class, MAX_HEAP, container.name(),
                Integer.toString(streams))) {
            String started = server.lineStartingWith("PORT ");
            if (started == null) {
                throw new IllegalStateException("The server on " + container.displayName() + " did not start");
            }
            int port = Integer.parseInt(started.substring("PORT ".length()));
            try (ChildJvm client = ChildJvm.start(IdleStreamClient.class, "512m", Integer.toString(port),
                    Integer.toString(streams), Api.streamPath("idle-stream-%d", 0))) {
                String ready = client.lineStartingWith("READY");
                int open = (ready != null) ? Integer.parseInt(ready.split(" ")[1]) : 0;
                int answered = server.isAlive() ? appends(port) : 0;
                String heap = heapInUse(server);
                double mebibytes = (heap != null) ? Long.parseLong(heap.substring("HEAP ".length())) / 1048576.0 : 0;
                boolean met = open == streams && answered == APPENDS && heap != null;
                String outcome = String.format(Locale.ROOT, "%s: %d of %d streams open, %d of %d appends answered 201%s",
                        container.displayName(), open, streams, answered, APPENDS, (heap != null) ? "" : ", server gone");
                System.out.println("[bench] " + outcome);
                return new ResultRow("idle SSE streams in a small heap (heap after GC)", variant + "; " + outcome,
                        Measurement.of(mebibytes, 0, "MiB"), "", null, null, target, Verdict.of(met));
            }
        }
    }

    /** The server's answer to {@code HEAP}, or null when it has gone (out of memory). */
    private static String heapInUse(ChildJvm server) {
        try {
            server.send("HEAP");
            return server.lineStartingWith("HEAP ");
        }
        catch (IOException ex) {
            return null;
        }
    }

    /** Appends to a session of its own while the streams are open; returns how many were answered 201. */
    private static int appends(int port) {
        int created = 0;
        try (HttpConnection connection = new HttpConnection(port)) {
            Api.expect(connection.send("POST", AppInstances.BASE, "{\"id\":\"busy\"}"), 201);
            for (int i = 0; i < APPENDS; i++) {
                if (connection.send("POST", Api.eventsPath("busy"), Api.eventBody("e" + i, "message", "1"))
                    .status() == 201) {
                    created++;
                }
            }
        }
        catch (IOException | RuntimeException ex) {
            System.out.println("[bench] appends beside the idle streams failed: " + ex);
        }
        return created;
    }

}
