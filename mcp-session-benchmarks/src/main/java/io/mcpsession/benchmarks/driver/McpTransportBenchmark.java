package io.mcpsession.benchmarks.driver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.mcpsession.benchmarks.SuiteOptions;
import io.mcpsession.benchmarks.app.AppInstances;
import io.mcpsession.benchmarks.app.McpTools;
import io.mcpsession.benchmarks.app.StoreProfile;
import io.mcpsession.benchmarks.report.Measurement;
import io.mcpsession.benchmarks.report.ResultRow;
import io.mcpsession.benchmarks.report.ResultRow.Verdict;
import io.mcpsession.benchmarks.report.Stats;
import io.mcpsession.mcp.DurableMcpTransportProvider;

/**
 * MCP tool calls through our durable transport against Spring AI's in-memory Streamable HTTP transport: two
 * instances of the benchmark application, the same Spring AI MCP server and tools in each, one on our transport over
 * the store under test, the other with {@code mcp.session.mcp.enabled=false} (Spring AI's transport, which keeps
 * nothing). The same clients call both in alternating timed rounds: a tool that answers at once (the round trip) and
 * one that sends {@value #NOTIFICATIONS} progress notifications before its answer (the stream).
 */
public final class McpTransportBenchmark {

    /** Progress notifications of the stream. */
    static final int NOTIFICATIONS = 100;

    /** Rounds of each side before any counts: both paths compiled, connections and sessions primed. */
    static final int WARMUPS = 2;

    static final String BASELINE = "Spring AI's in-memory transport (WebMVC Streamable HTTP), same app";

    private McpTransportBenchmark() {
    }

    /** Our transport over {@code store}; the baseline keeps its sessions in memory whatever the store. */
    public static List<ResultRow> run(StoreProfile store, SuiteOptions options) throws Exception {
        double target = (store == StoreProfile.MEMORY) ? 0.8 : 0.5;
        try (AppInstances baseline = AppInstances.start(StoreProfile.MEMORY, 1, AppInstances.mcpServer(false));
                AppInstances ours = AppInstances.start(store, 1, AppInstances.mcpServer(true))) {
            if (!baseline.beans(0, DurableMcpTransportProvider.class).isEmpty()
                    || ours.beans(0, DurableMcpTransportProvider.class).size() != 1) {
                throw new IllegalStateException("The baseline must run on Spring AI's transport, ours on the durable one");
            }
            try (McpClients base = new McpClients(baseline.port(0), options.mcpClients());
                    McpClients durable = new McpClients(ours.port(0), options.mcpClients())) {
                String variant = store.label() + ", " + options.mcpClients() + " clients";
                List<ResultRow> rows = new ArrayList<>();
                rows.addAll(compare("MCP tool call round trip", variant, target, base, durable, options,
                        (connection) -> connection.callTool(McpTools.ANSWER, "{}", 0)));
                rows.addAll(compare("MCP " + NOTIFICATIONS + "-notification stream", variant, target, base, durable,
                        options, (connection) -> connection.callTool(McpTools.NOTIFY,
                                "{\"count\":" + NOTIFICATIONS + "}", NOTIFICATIONS)));
                return rows;
            }
        }
    }

    private static List<ResultRow> compare(String benchmark, String variant, double target, McpClients base,
            McpClients durable, SuiteOptions options, McpClients.Call call) throws Exception {
        Duration length = options.mcpRoundTime();
        for (int r = 0; r < WARMUPS; r++) {
            base.run(length, call);
            durable.run(length, call);
        }
        int rounds = options.mcpRounds();
        double[] ourRates = new double[rounds];
        double[] baseRates = new double[rounds];
        double[] ratios = new double[rounds];
        List<long[]> ourLatencies = new ArrayList<>();
        List<long[]> baseLatencies = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            McpClients.Round ourRound;
            McpClients.Round baseRound;
            if (r % 2 == 0) {
                baseRound = base.run(length, call);
                ourRound = durable.run(length, call);
            }
            else {
                ourRound = durable.run(length, call);
                baseRound = base.run(length, call);
            }
            ourRates[r] = ourRound.rate();
            baseRates[r] = baseRound.rate();
            ratios[r] = ourRates[r] / baseRates[r];
            ourLatencies.add(ourRound.latencies());
            baseLatencies.add(baseRound.latencies());
        }
        long[] ourSamples = concat(ourLatencies);
        long[] baseSamples = concat(baseLatencies);
        Measurement ratio = Measurement.ofRounds(ratios, "×");
        String samples = variant + ", " + ourSamples.length + " / " + baseSamples.length + " calls";
        return List.of(
                new ResultRow(benchmark, variant + ", closed loop, " + rounds + " rounds of " + length.toMillis()
                        + " ms", Measurement.ofRounds(ourRates, "calls/s"), BASELINE,
                        Measurement.ofRounds(baseRates, "calls/s"), ratio, "≥ " + target + "× in-memory transport",
                        Verdict.of(ratio.value() >= target)),
                ResultRow.compared(benchmark + " latency p50", samples, millis(Stats.percentileMillis(ourSamples, 50)),
                        BASELINE, millis(Stats.percentileMillis(baseSamples, 50)), "", Verdict.INFO),
                ResultRow.compared(benchmark + " latency p99", samples, millis(Stats.percentileMillis(ourSamples, 99)),
                        BASELINE, millis(Stats.percentileMillis(baseSamples, 99)), "", Verdict.INFO));
    }

    private static long[] concat(List<long[]> parts) {
        long[] all = new long[parts.stream().mapToInt((part) -> part.length).sum()];
        int at = 0;
        for (long[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }

    private static Measurement millis(double value) {
        return Measurement.of(value, 0, "ms");
    }

}
