package io.mcpsession.benchmarks.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.openjdk.jol.info.GraphLayout;

import io.mcpsession.benchmarks.SuiteOptions;
import io.mcpsession.benchmarks.report.Measurement;
import io.mcpsession.benchmarks.report.ResultRow;
import io.mcpsession.benchmarks.report.ResultRow.Verdict;
import io.mcpsession.benchmarks.store.RawMemoryEngine;
import io.mcpsession.benchmarks.store.StoreTargets;
import io.mcpsession.core.NewSession;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.memory.InMemorySessionStore;

/**
 * Retained heap per idle session of the memory store: an anonymous session with a generated id and nothing
 * appended, created N times. Measured by walking the store's object graph (JOL: the exact retained size) and
 * cross-checked by the heap in use after full collections. The baseline is the raw engine holding the same
 * number of empty session logs.
 */
public final class SessionFootprint {

    static final double TARGET_BYTES = 1024;

    static {
        // JDK 17 refuses field offsets of hidden classes (lambdas) to Unsafe; JOL then computes them itself.
        System.setProperty("jol.magicFieldOffset", "true");
    }

    private SessionFootprint() {
    }

    public static List<ResultRow> run(SuiteOptions options) {
        int sessions = options.idleSessions();
        StoreSettings settings = StoreTargets.settings();
        double[] withFeed = measureStore(settings, sessions);
        double[] withoutFeed = measureStore(settings.withFeed(false, settings.feedMaxEntries(), settings.feedTtl()),
                sessions);
        double raw = measureRaw(sessions);
        List<ResultRow> rows = new ArrayList<>();
        String variant = "memory, " + String.format(Locale.ROOT, "%,d", sessions) + " idle sessions";
        rows.add(ResultRow.compared("retained heap per idle session (JOL)", variant + ", feed on (default)",
                bytes(withFeed[0]), "raw engine: id + empty log", bytes(raw), "≤ 1 KiB",
                Verdict.of(withFeed[0] <= TARGET_BYTES)));
        rows.add(new ResultRow("retained heap per idle session (heap after GC)", variant + ", feed on (default)",
                bytes(withFeed[1]), "", null, null, "≤ 1 KiB", Verdict.of(withFeed[1] <= TARGET_BYTES)));
        rows.add(ResultRow.compared("retained heap per idle session (JOL)", variant + ", feed off",
                bytes(withoutFeed[0]), "raw engine: id + empty log", bytes(raw), "", Verdict.INFO));
        return rows;
    }

    /** {JOL bytes per session, heap-after-GC bytes per session}. */
    private static double[] measureStore(StoreSettings settings, int sessions) {
        long empty;
        try (InMemorySessionStore emptyStore = new InMemorySessionStore(settings)) {
            empty = GraphLayout.parseInstance(emptyStore).totalSize();
        }
        long before = Heap.usedAfterGc();
        InMemorySessionStore store = new InMemorySessionStore(settings);
        for (int i = 0; i < sessions; i++) {
            store.create(NewSession.anonymous());
        }
        long after = Heap.usedAfterGc();
        long full = GraphLayout.parseInstance(store).totalSize();
        store.close();
        return new double[] { (double) (full - empty) / sessions, (double) (after - before) / sessions };
    }

    private static double measureRaw(int sessions) {
        RawMemoryEngine empty = new RawMemoryEngine(10_000);
        long emptySize = GraphLayout.parseInstance(empty).totalSize();
        RawMemoryEngine engine = new RawMemoryEngine(10_000);
        for (int i = 0; i < sessions; i++) {
            engine.createSession(UUID.randomUUID().toString());
        }
        return (double) (GraphLayout.parseInstance(engine).totalSize() - emptySize) / sessions;
    }

    private static Measurement bytes(double value) {
        return Measurement.of(value, 0, "B");
    }

}
