package io.mcpsession.benchmarks.app;

import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ProgressNotification;
import io.modelcontextprotocol.spec.McpSchema.Tool;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The tools of the MCP transport figures, served by Spring AI's MCP server whichever transport carries them (the
 * server runs only where a figure turns it on, see {@link AppInstances#mcpServer(boolean)}): {@value #ANSWER}
 * answers at once, {@value #NOTIFY} sends {@code count} progress notifications back to back, then answers. Neither
 * does any work of its own, so that a call costs what the transport and the SDK cost.
 */
@Configuration(proxyBeanMethods = false)
public final class McpTools {

    /** The tool that answers at once. */
    public static final String ANSWER = "answer";

    /** The tool that streams {@code count} progress notifications before its answer. */
    public static final String NOTIFY = "notify";

    private static final CallToolResult DONE = CallToolResult.builder().addTextContent("done").build();

    /** Spring AI collects tool specifications from beans that are lists of them. */
    @Bean
    List<SyncToolSpecification> benchmarkMcpTools() {
        return List.of(
                SyncToolSpecification.builder()
                    .tool(Tool.builder(ANSWER, Map.of("type", "object")).description("Answers at once").build())
                    .callHandler((exchange, request) -> DONE)
                    .build(),
                SyncToolSpecification.builder()
                    .tool(Tool.builder(NOTIFY, Map.of("type", "object", "properties",
                            Map.of("count", Map.of("type", "integer", "minimum", 0))))
                        .description("Sends count progress notifications back to back, then answers")
                        .build())
                    .callHandler(McpTools::notify)
                    .build());
    }

    private static CallToolResult notify(McpSyncServerExchange exchange, CallToolRequest request) {
        Object progressToken = request.progressToken();
        int count = ((Number) request.arguments().get("count")).intValue();
        for (int i = 1; progressToken != null && i <= count; i++) {
            exchange.progressNotification(ProgressNotification.builder(progressToken, i).total((double) count)
                .build());
        }
        return DONE;
    }

}
