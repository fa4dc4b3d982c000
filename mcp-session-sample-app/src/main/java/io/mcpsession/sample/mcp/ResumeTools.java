package io.mcpsession.sample.mcp;

import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Tool;

import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.mcpsession.mcp.DurableMcpTransportProvider;

/**
 * Tools whose calls outlive their connection, for resume tests: {@code count_slowly} (ours) and
 * {@code test_reconnection} (the conformance suite's {@code server-sse-polling} scenario).
 */
@Configuration(proxyBeanMethods = false)
class ResumeTools {

    static final int MAX_COUNT = 10_000;

    static final int MAX_INTERVAL_MS = 60_000;

    /** The arguments of {@code count_slowly}, in either protocol era. */
    static final Map<String, Object> COUNT_SLOWLY_SCHEMA = Map.of("type", "object",
            "properties", Map.of(
                    "count", Map.of("type", "integer", "minimum", 0, "maximum", MAX_COUNT),
                    "intervalMs", Map.of("type", "integer", "minimum", 0, "maximum", MAX_INTERVAL_MS)),
            "required", List.of("count", "intervalMs"));

    @Bean
    List<SyncToolSpecification> resumeToolSpecifications() {
        return List.of(countSlowly(), testReconnection());
    }

    /**
     * Sends {@code notifications/progress} i of {@code count} every {@code intervalMs} when the request carries a
     * progress token, then answers {@code counted to <count>}.
     */
    private static SyncToolSpecification countSlowly() {
        return SyncToolSpecification.builder()
            .tool(Tool.builder("count_slowly", COUNT_SLOWLY_SCHEMA)
                .description("Counts to count, one step every intervalMs, reporting progress at each step")
                .build())
            .callHandler(ResumeTools::count)
            .build();
    }

    private static CallToolResult count(McpSyncServerExchange exchange, CallToolRequest request) {
        int count = integer(request.arguments(), "count", MAX_COUNT);
        int intervalMs = integer(request.arguments(), "intervalMs", MAX_INTERVAL_MS);
        if (count < 0 || intervalMs < 0) {
            return error("count and intervalMs must be integers from 0 to " + MAX_COUNT + " and "
                    + MAX_INTERVAL_MS);
        }
        Object progressToken = request.progressToken();
        for (int i = 1; i <= count; i++) {
            try {
                // The tool's own pace: it stands for work that takes this long.
                Thread.sleep(intervalMs);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return error("interrupted at " + (i - 1) + " of " + count);
            }
            if (progressToken != null) {
                exchange.progressNotification(ProgressNotification.builder(progressToken, i).total((double) count)
                    .build());
            }
        }
        return CallToolResult.builder().addTextContent("counted to " + count).build();
    }

    /**
     * Ends the client's connection mid-call (SEP-1699 polling), then answers: the client must resume the stream,
     * with its last event id, to get the result.
     */
    private static SyncToolSpecification testReconnection() {
        return SyncToolSpecification.builder()
            .tool(Tool.builder("test_reconnection", Map.of("type", "object", "properties", Map.of()))
                .description("Closes the SSE stream mid-call so that the client reconnects to get the result")
                .build())
            .callHandler((exchange, request) -> {
                DurableMcpTransportProvider.closeConnection(exchange.transportContext());
                return CallToolResult.builder().addTextContent("Reconnection test completed successfully").build();
            })
            .build();
    }

    /** The argument as an int when it is an integer within 0..max, else -1. */
    static int integer(@Nullable Map<String, Object> arguments, String name, int max) {
        Object value = (arguments != null) ? arguments.get(name) : null;
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())
                && number.longValue() >= 0 && number.longValue() <= max) {
            return number.intValue();
        }
        return -1;
    }

    private static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }

}
