package io.mcpsession.mcp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProviderBase;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

import io.mcpsession.store.SessionStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring AI's MCP server starter with the durable transport in its place: Spring AI builds the server from its
 * beans, our transport serves it at Spring AI's endpoint, and the sessions are store sessions.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "spring.ai.mcp.server.protocol=STREAMABLE", "mcp.session.store.type=memory" })
class SpringAiMcpServerTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @Autowired
    private ApplicationContext context;

    @Autowired
    private SessionStore store;

    @Test
    void ourTransportIsTheOnlyOneAndSpringAiServesItsTools() throws Exception {
        assertThat(this.context.getBeansOfType(McpServerTransportProviderBase.class).values())
            .singleElement()
            .isInstanceOf(DurableMcpTransportProvider.class);

        HttpResponse<String> initialize = post(null, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
                + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"spring-ai-test\",\"version\":\"1\"}}}");
        assertThat(initialize.statusCode()).isEqualTo(200);
        String sessionId = initialize.headers().firstValue("Mcp-Session-Id").orElseThrow();
        assertThat(this.store.find(sessionId)).hasValueSatisfying(
                (session) -> assertThat(session.protocolVersion()).isEqualTo("2025-11-25"));

        HttpResponse<String> call = post(sessionId, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                + "\"params\":{\"name\":\"greet\",\"arguments\":{\"name\":\"Ada\"}}}");
        assertThat(call.statusCode()).isEqualTo(200);
        assertThat(call.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        String data = call.body().lines().filter((line) -> line.startsWith("data: {")).reduce((a, b) -> b).orElseThrow();
        JsonNode response = JSON.readTree(data.substring("data: ".length()));
        assertThat(response.at("/result/content/0/text").asString()).as(call.body()).isEqualTo("hello Ada");
        assertThat(this.store.read(sessionId, io.mcpsession.core.EventQuery.after(0)).events())
            .extracting(io.mcpsession.core.EventRecord::type)
            .contains("mcp.response");
    }

    private HttpResponse<String> post(String sessionId, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/mcp"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body));
        if (sessionId != null) {
            request.header("Mcp-Session-Id", sessionId);
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootApplication
    static class GreetingServer {

        /** Spring AI collects tool specifications from beans that are lists of them. */
        @Bean
        List<McpServerFeatures.SyncToolSpecification> greet() {
            return List.of(McpServerFeatures.SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder("greet")
                    .inputSchema(Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string"))))
                    .build())
                .callHandler((exchange, request) -> McpSchema.CallToolResult.builder()
                    .addTextContent("hello " + request.arguments().get("name"))
                    .build())
                .build());
        }

    }

}
