package io.mcpsession.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.mcpsession.benchmarks.report.ResultRow;
import io.mcpsession.benchmarks.report.ResultRow.Verdict;
import io.mcpsession.benchmarks.report.ResultTable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every benchmark of the suite once with tiny sizes (JMH in this JVM, one 100 ms iteration; the load
 * driver with a few requests, subscribers, streams and MCP calls), so that the benchmarks cannot rot. The jdbc
 * rows need the tests' PostgreSQL and Redis, found as the starter's tests find them. It asserts only that
 * each one runs and produces numbers: the figures of a smoke run mean nothing.
 */
class SmokeTests {

    @Test
    void everyBenchmarkRunsAndProducesNumbers(@TempDir Path out) throws Exception {
        ResultTable table = Suite.run(SuiteOptions.smoke().withOut(out));

        List<ResultRow> measured = table.rows().stream().filter((row) -> row.verdict() != Verdict.PENDING).toList();
        assertThat(measured).extracting(ResultRow::benchmark)
            .contains("append (store API, JMH)", "append latency p99 (store API, JMH)", "HTTP append (POST events)",
                    "append→SSE latency p99", "long-poll wake-up p99",
                    "resume replay over SSE", "HTTP append with parked long-polls",
                    "retained heap per idle session (JOL)", "heap per idle SSE connection (heap after GC)",
                    "idle SSE streams in a small heap (heap after GC)",
                    "MCP tool call round trip", "MCP 100-notification stream latency p99");
        assertThat(measured).allSatisfy((row) -> {
            assertThat(row.subject()).isNotNull();
            if (row.benchmark().equals("heap per idle SSE connection (heap after GC)")) {
                // The heap a few hundred streams add is within what a collection frees or not: in a smoke run,
                // below zero at times (Jetty's ~8 KB each). The full run holds thousands.
                assertThat(row.subject().value()).as(row.benchmark() + " / " + row.variant()).isFinite();
                return;
            }
            assertThat(row.subject().value()).as(row.benchmark() + " / " + row.variant()).isPositive().isFinite();
            if (row.baseline() != null) {
                assertThat(row.baseline().value()).as(row.benchmark() + " baseline").isPositive().isFinite();
                assertThat(row.ratio().value()).as(row.benchmark() + " ratio").isPositive().isFinite();
            }
        });
        assertThat(measured).extracting(ResultRow::variant)
            .anySatisfy((variant) -> assertThat(variant).startsWith("jdbc (PostgreSQL), NOTIFY on"))
            .anySatisfy((variant) -> assertThat(variant).startsWith("jdbc (PostgreSQL), 2 instances"))
            .anySatisfy((variant) -> assertThat(variant).startsWith("redis, 2 instances"));
        assertThat(measured).filteredOn((row) -> row.benchmark().startsWith("MCP "))
            .extracting(ResultRow::variant)
            .anySatisfy((variant) -> assertThat(variant).startsWith("memory, "))
            .anySatisfy((variant) -> assertThat(variant).startsWith("jdbc (PostgreSQL), "));
        assertThat(measured).filteredOn((row) -> row.benchmark().equals("heap per idle SSE connection (heap after GC)"))
            .extracting(ResultRow::variant)
            .anySatisfy((variant) -> assertThat(variant).endsWith(", Tomcat"))
            .anySatisfy((variant) -> assertThat(variant).endsWith(", Jetty"));
        assertThat(measured).filteredOn((row) -> row.variant().startsWith("redis"))
            .extracting(ResultRow::benchmark)
            .contains("append (store API, JMH)", "replay read (store API, JMH)");
        assertThat(table.rows()).noneMatch((row) -> row.verdict() == Verdict.PENDING);
        assertThat(Files.readString(out.resolve("results.md"))).contains("| benchmark |", "Machine:");
        assertThat(out.resolve("sse-connection-histogram.txt")).exists();
    }

    @Test
    void argumentsSelectPartsAndSizes() {
        SuiteOptions options = Suite.parse(new String[] { "--smoke", "--parts=jmh,http", "--out=elsewhere" });

        assertThat(options.parts()).containsExactlyInAnyOrder("jmh", "http");
        assertThat(options.out()).isEqualTo(Path.of("elsewhere"));
        assertThat(options.jmhForks()).isZero();
        assertThat(Suite.parse(new String[0])).isEqualTo(SuiteOptions.full());
        assertThat(Suite.parse(new String[] { "--smoke" }).parts()).doesNotContain("nats", "dynamodb");
        assertThat(Suite.parse(new String[] { "--smoke", "--parts=nats" }).parts()).containsExactly("nats");
    }

}
