package io.mcpsession.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.mcpsession.benchmarks.app.AppInstances;
import io.mcpsession.benchmarks.app.StoreProfile;
import io.mcpsession.benchmarks.driver.HttpAppendBenchmark;
import io.mcpsession.benchmarks.driver.LongPollBenchmark;
import io.mcpsession.benchmarks.driver.McpTransportBenchmark;
import io.mcpsession.benchmarks.driver.ReplayBenchmark;
import io.mcpsession.benchmarks.driver.SseLatencyBenchmark;
import io.mcpsession.benchmarks.driver.WakeUpBenchmark;
import io.mcpsession.benchmarks.memory.IdleStreamsInSmallHeap;
import io.mcpsession.benchmarks.memory.SessionFootprint;
import io.mcpsession.benchmarks.memory.SseConnectionFootprint;
import io.mcpsession.benchmarks.report.ResultRow;
import io.mcpsession.benchmarks.report.ResultTable;
import io.mcpsession.benchmarks.store.DynamoDbAppendSuite;
import io.mcpsession.benchmarks.store.JdbcAppendSuite;
import io.mcpsession.benchmarks.store.JmhAppendSuite;
import io.mcpsession.benchmarks.store.NatsAppendSuite;

/**
 * Runs the benchmark suite and writes its results table ({@code results.md} in the output directory).
 * <p>
 * Arguments: {@code --smoke} (tiny sizes; every part but {@code nats} and {@code dynamodb} unless {@code --parts}
 * names them), {@code --parts=jmh,jdbc,nats,dynamodb,http,sse,replay,longpoll,memory,mcp}
 * (default all), {@code --out=DIR} (default {@code target/benchmark-results}), {@code --jmh-profiler=NAME} (such as
 * {@code jfr} or {@code gc}). JMH's own command line stays available as {@code org.openjdk.jmh.Main}.
 */
public final class Suite {

    /** A driver figure: it starts its own application so that no figure inherits another's heap. */
    private interface Scenario {

        List<ResultRow> run(AppInstances app, SuiteOptions options) throws Exception;

    }

    private static final List<String> PART_LOG = new java.util.concurrent.CopyOnWriteArrayList<>();

    private Suite() {
    }

    public static void main(String[] args) throws Exception {
        run(parse(args));
    }

    public static SuiteOptions parse(String[] args) {
        SuiteOptions options = SuiteOptions.full();
        for (String arg : args) {
            if (arg.equals("--smoke")) {
                options = SuiteOptions.smoke();
            }
        }
        for (String arg : args) {
            if (arg.startsWith("--parts=")) {
                Set<String> parts = Set.of(arg.substring("--parts=".length()).split(","));
                if (!SuiteOptions.ALL_PARTS.containsAll(parts)) {
                    throw new IllegalArgumentException("Parts are " + SuiteOptions.ALL_PARTS + ", not " + parts);
                }
                options = options.withParts(parts);
            }
            else if (arg.startsWith("--out=")) {
                options = options.withOut(Path.of(arg.substring("--out=".length())));
            }
            else if (arg.startsWith("--jmh-profiler=")) {
                options = options.withJmhProfiler(arg.substring("--jmh-profiler=".length()));
            }
            else if (!arg.equals("--smoke")) {
                throw new IllegalArgumentException("Unknown argument " + arg);
            }
        }
        return options;
    }

    /** Runs the parts of {@code options} and writes the table. */
    public static ResultTable run(SuiteOptions options) throws Exception {
        ResultTable table = new ResultTable();
        PART_LOG.clear();
        if (options.runs("jmh")) {
            timed("jmh", () -> table.addAll(new JmhAppendSuite(options).run()));
        }
        if (options.runs("jdbc")) {
            timed("jdbc", () -> table.addAll(new JdbcAppendSuite(options).run()));
        }
        if (options.runs("nats")) {
            timed("nats", () -> table.addAll(new NatsAppendSuite(options).run()));
        }
        if (options.runs("dynamodb")) {
            timed("dynamodb", () -> table.addAll(new DynamoDbAppendSuite(options).run()));
        }
        if (options.runs("http")) {
            timed("http", () -> table.addAll(withApp(options, HttpAppendBenchmark::run)));
        }
        if (options.runs("sse")) {
            timed("sse", () -> table.addAll(withApp(options, SseLatencyBenchmark::run)));
            for (StoreProfile shared : sharedStores()) {
                timed("sse (" + shared.key() + ", 2 instances)",
                        () -> table.addAll(withApps(shared, 2, options, SseLatencyBenchmark::run)));
            }
            for (StoreProfile pending : pendingStores()) {
                table.add(ResultRow.pending("append→SSE latency p99", pending.label() + ", 2 instances", ""));
            }
        }
        if (options.runs("replay")) {
            timed("replay", () -> table.addAll(withApp(options, ReplayBenchmark::run)));
        }
        if (options.runs("longpoll")) {
            timed("longpoll", () -> table.addAll(withApp(options, LongPollBenchmark::run)));
            for (StoreProfile shared : sharedStores()) {
                timed("longpoll (" + shared.key() + ", 2 instances)",
                        () -> table.addAll(withApps(shared, 2, options, WakeUpBenchmark::run)));
            }
            for (StoreProfile pending : pendingStores()) {
                table.add(ResultRow.pending("long-poll wake-up p99", pending.label() + ", 2 instances", ""));
            }
        }
        if (options.runs("mcp")) {
            for (StoreProfile store : List.of(StoreProfile.MEMORY, StoreProfile.JDBC)) {
                timed("mcp (" + store.key() + ")", () -> table.addAll(McpTransportBenchmark.run(store, options)));
            }
        }
        if (options.runs("memory")) {
            timed("memory (sessions)", () -> table.addAll(SessionFootprint.run(options)));
            timed("memory (SSE connections)", () -> table.addAll(SseConnectionFootprint.run(options)));
            timed("memory (idle streams in a small heap)", () -> table.addAll(IdleStreamsInSmallHeap.run(options)));
        }
        Path results = options.out().resolve("results.md");
        table.write(results, "# mcp-session benchmark results\n\n" + machine() + "\n\n"
                + String.join("\n", PART_LOG.stream().map((line) -> "- " + line).toList()));
        System.out.println();
        System.out.println(table.toMarkdown());
        System.out.println("[bench] results written to " + results);
        return table;
    }

    private interface Part {

        void run() throws Exception;

    }

    private static void timed(String name, Part part) throws Exception {
        long began = System.nanoTime();
        double loadBefore = loadAverage();
        part.run();
        String line = String.format(Locale.ROOT, "%s took %.1f s; load average %.2f before, %.2f after", name,
                (System.nanoTime() - began) / 1e9, loadBefore, loadAverage());
        System.out.println("[bench] " + line);
        PART_LOG.add(line);
    }

    /** The one-minute load average: other processes on the machine skew every figure. */
    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static List<ResultRow> withApp(SuiteOptions options, Scenario scenario) throws Exception {
        return withApps(StoreProfile.MEMORY, 1, options, scenario);
    }

    private static List<ResultRow> withApps(StoreProfile profile, int count, SuiteOptions options, Scenario scenario)
            throws Exception {
        try (AppInstances app = AppInstances.start(profile, count, java.util.Map.of())) {
            return scenario.run(app, options);
        }
    }

    /** The landed stores that instances share: their cross-instance rows run. */
    private static List<StoreProfile> sharedStores() {
        return java.util.Arrays.stream(StoreProfile.values()).filter((p) -> p.shared() && p.landed()).toList();
    }

    private static List<StoreProfile> pendingStores() {
        return java.util.Arrays.stream(StoreProfile.values()).filter((p) -> !p.landed()).toList();
    }

    /** The machine, as this JVM sees it. */
    static String machine() {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return String.format(Locale.ROOT, "Machine: %d cores, %.1f GiB memory, %s %s (%s), Java %s (%s), max heap %d MiB",
                Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize() / (1024.0 * 1024 * 1024),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"),
                Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

}
