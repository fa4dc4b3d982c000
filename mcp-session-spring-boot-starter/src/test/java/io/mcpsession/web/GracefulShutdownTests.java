package io.mcpsession.web;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.mcpsession.mcp.DurableMcpTransportProvider;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shutdown as a rolling deploy needs it: with SSE streams, a parked long-poll, an MCP GET stream and an MCP call
 * under way, the application ends every stream at once (clients resume elsewhere), lets the call finish, and stops
 * well within Spring's graceful-shutdown time instead of waiting it out; nothing fails in the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class GracefulShutdownTests {

    /** Far above what a drained shutdown takes, so that waiting it out cannot pass for a drain. */
    private static final Duration SHUTDOWN_PHASE = Duration.ofSeconds(60);

    private static final Duration ENDED = Duration.ofSeconds(20);

    private static final CountDownLatch toolStarted = new CountDownLatch(1);

    private static final AtomicBoolean toolFinished = new AtomicBoolean();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void streamsEndAtOnceTheCallFinishesAndTheApplicationStopsWithinTheShutdownPhase(CapturedOutput output)
            throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(WebTestApplication.class,
                SlowTool.class)
            .run("--server.port=0", "--mcp.session.store.type=memory", "--spring.ai.mcp.server.protocol=STREAMABLE",
                    "--spring.lifecycle.timeout-per-shutdown-phase=" + SHUTDOWN_PHASE.toSeconds() + "s",
                    "--mcp.session.long-poll.max-wait=60s", "--mcp.session.sse.keepalive=1s");
        String base = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
        List<SseConnection> streams = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String sessionId = createSession(base);
            streams.add(open(HttpRequest.newBuilder(URI.create(base + "/mcp-sessions/" + sessionId + "/events/stream"))
                .header("Accept", "text/event-stream")
                .GET()));
        }
        String polled = createSession(base);
        CompletableFuture<HttpResponse<String>> longPoll = this.http.sendAsync(
                HttpRequest.newBuilder(URI.create(base + "/mcp-sessions/" + polled + "/events?waitMs=60000")).GET()
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        String mcpSession = initializeMcp(base);
        streams.add(open(mcpRequest(base, mcpSession).GET()));
        SseConnection call = open(mcpRequest(base, mcpSession).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\","
                    + "\"params\":{\"name\":\"finish_slowly\",\"arguments\":{}}}")));
        assertThat(toolStarted.await(20, TimeUnit.SECONDS)).isTrue();

        long closing = System.nanoTime();
        context.close();
        Duration closed = Duration.ofNanos(System.nanoTime() - closing);

        assertThat(toolFinished).as("the call under way finished before the application stopped").isTrue();
        assertThat(closed).as("stopped without waiting out the shutdown phase").isLessThan(SHUTDOWN_PHASE.dividedBy(2));
        for (SseConnection stream : streams) {
            stream.itemsUntilEnd(ENDED);
        }
        assertThat(call.itemsUntilEnd(ENDED)).as("the call's connection ended before its response: it resumes elsewhere")
            .noneMatch((item) -> item.toString().contains("finished slowly"));
        assertThat(longPoll.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(output).doesNotContain("Graceful shutdown aborted")
            .doesNotContain("recycled")
            .doesNotContain(" ERROR ")
            .doesNotContain("Exception");
    }

    private String createSession(String base) throws Exception {
        HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(base + "/mcp-sessions"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(201);
        return response.body().replaceAll("(?s).*\"id\":\"([^\"]+)\".*", "$1");
    }

    private String initializeMcp(String base) throws Exception {
        HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(base + "/mcp"))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
                    + "\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"shutdown-test\",\"version\":\"1\"}}}"))
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().firstValue(DurableMcpTransportProvider.SESSION_HEADER).orElseThrow();
    }

    private HttpRequest.Builder mcpRequest(String base, String sessionId) {
        return HttpRequest.newBuilder(URI.create(base + "/mcp"))
            .header("Accept", "application/json, text/event-stream")
            .header(DurableMcpTransportProvider.SESSION_HEADER, sessionId);
    }

    private SseConnection open(HttpRequest.Builder request) throws Exception {
        HttpResponse<InputStream> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        return new SseConnection(response);
    }

    @Configuration(proxyBeanMethods = false)
    static class SlowTool {

        /** A call that takes two seconds: under way when the application is asked to stop. */
        @Bean
        List<McpServerFeatures.SyncToolSpecification> finishSlowly() {
            return List.of(McpServerFeatures.SyncToolSpecification.builder()
                .tool(McpSchema.Tool.builder("finish_slowly").inputSchema(Map.of("type", "object")).build())
                .callHandler((exchange, request) -> {
                    toolStarted.countDown();
                    for (int i = 0; i < 20; i++) {
                        try {
                            TimeUnit.MILLISECONDS.sleep(100);
                        }
                        catch (InterruptedException ex) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    toolFinished.set(true);
                    return McpSchema.CallToolResult.builder().addTextContent("finished slowly").build();
                })
                .build());
        }

    }

}
