package io.mcpsession.mcp.modern;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.modern.McpSchema.CallToolRequest;
import io.modelcontextprotocol.modern.McpSchema.CallToolResult;
import io.modelcontextprotocol.modern.McpSchema.ElicitFormRequest;
import io.modelcontextprotocol.modern.McpSchema.Implementation;
import io.modelcontextprotocol.modern.McpSchema.InputRequiredResult;
import io.modelcontextprotocol.modern.McpSchema.TextContent;
import io.modelcontextprotocol.modern.McpSchema.Tool;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpServer;
import io.modelcontextprotocol.modern.server.feature.McpSyncTool;
import io.modelcontextprotocol.modern.server.feature.McpSyncToolRepository;
import io.modelcontextprotocol.modern.server.feature.ToolsPage;
import io.modelcontextprotocol.modern.server.transport.HttpServletMcpTransport;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.memory.InMemorySessionStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tasks through real HTTP on two instances of a 2026-07-28 server over one store: whatever instance a client asks,
 * it sees the task; its answers and its cancellation reach the instance that runs the task.
 */
class StoreTasksFeatureTests {

    private static final McpJsonMapper JSON = McpJsonDefaults.getMapper();

    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {
    };

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final SessionStore store = new InMemorySessionStore(StoreSettings.defaults(), Clock.systemUTC());

    /** Counted down by the task that waits for its cancellation when its thread is interrupted. */
    private final CountDownLatch interrupted = new CountDownLatch(1);

    private final Instance a = new Instance(this.store, this.interrupted);

    private final Instance b = new Instance(this.store, this.interrupted);

    private final HttpClient http = HttpClient.newHttpClient();

    private final AtomicInteger ids = new AtomicInteger();

    @AfterEach
    void close() {
        this.a.close();
        this.b.close();
        this.store.close();
    }

    @Test
    void aTaskMadeOnOneInstanceIsReadOnTheOtherUntilItsResult() throws Exception {
        Map<String, Object> created = result(this.a, "tools/call", "greet_later",
                Map.of("name", "greet_later", "arguments", Map.of("name", "Ada")));
        assertThat(created).containsEntry("resultType", "task").containsEntry("status", "working")
            .containsKeys("taskId", "createdAt", "lastUpdatedAt", "ttlMs", "pollIntervalMs")
            .doesNotContainKeys("result", "error", "requestState");
        String taskId = (String) created.get("taskId");
        Map<String, Object> done = awaitStatus(this.b, taskId, "completed");
        assertThat(done).containsEntry("resultType", "complete").doesNotContainKey("error");
        assertThat(text(done)).isEqualTo("Hello, Ada!");
    }

    @Test
    void aCancellationThroughOneInstanceInterruptsTheTaskRunningOnTheOther() throws Exception {
        String taskId = (String) result(this.a, "tools/call", "wait_for_cancel",
                Map.of("name", "wait_for_cancel", "arguments", Map.of())).get("taskId");
        Map<String, Object> ack = result(this.b, "tasks/cancel", taskId, Map.of("taskId", taskId));
        assertThat(ack).containsOnlyKeys("resultType", "_meta").containsEntry("resultType", "complete");
        assertThat(this.interrupted.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(result(this.a, "tasks/get", taskId, Map.of("taskId", taskId))).containsEntry("status",
                "cancelled");
        // A terminal task acknowledges another cancellation the same way.
        assertThat(result(this.a, "tasks/cancel", taskId, Map.of("taskId", taskId))).containsEntry("resultType",
                "complete");
    }

    @Test
    void answersGivenToOneInstanceReachTheTaskWaitingForThemOnTheOther() throws Exception {
        String taskId = (String) result(this.a, "tools/call", "ask_two",
                Map.of("name", "ask_two", "arguments", Map.of())).get("taskId");
        Map<String, Object> waiting = awaitStatus(this.b, taskId, "input_required");
        assertThat(inputRequests(waiting)).containsOnlyKeys("first", "second");
        result(this.b, "tasks/update", taskId, Map.of("taskId", taskId, "inputResponses",
                Map.of("first", accepted("Ada"))));
        Map<String, Object> partly = result(this.a, "tasks/get", taskId, Map.of("taskId", taskId));
        assertThat(partly).containsEntry("status", "input_required");
        assertThat(inputRequests(partly)).containsOnlyKeys("second");
        result(this.a, "tasks/update", taskId, Map.of("taskId", taskId, "inputResponses",
                Map.of("second", accepted("Grace"))));
        assertThat(text(awaitStatus(this.b, taskId, "completed"))).isEqualTo("Ada and Grace");
    }

    @Test
    void aClientWithoutTheExtensionGetsTheResultAtOnceAndCannotReadTasks() throws Exception {
        Map<String, Object> answer = call(this.a, "tools/call", "greet_later",
                Map.of("name", "greet_later", "arguments", Map.of("name", "Ada")), false);
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) answer.get("result");
        assertThat(result).containsEntry("resultType", "complete").doesNotContainKey("taskId");
        assertThat(call(this.a, "tasks/get", "x", Map.of("taskId", "x"), false)).extractingByKey("error")
            .extracting("code").isEqualTo(-32021);
    }

    @Test
    void anUnknownTaskIsInvalidParams() throws Exception {
        assertThat(call(this.b, "tasks/get", "no-such-task", Map.of("taskId", "no-such-task"), true))
            .extractingByKey("error").extracting("code").isEqualTo(-32602);
    }

    private Map<String, Object> awaitStatus(Instance instance, String taskId, String status) {
        return await().atMost(WAIT).until(() -> result(instance, "tasks/get", taskId, Map.of("taskId", taskId)),
                (task) -> status.equals(task.get("status")));
    }

    private Map<String, Object> result(Instance instance, String method, String name, Map<String, Object> params)
            throws IOException, InterruptedException {
        Map<String, Object> answer = call(instance, method, name, params, true);
        assertThat(answer).as("%s answered an error", method).doesNotContainKey("error");
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) answer.get("result");
        return result;
    }

    private Map<String, Object> call(Instance instance, String method, String name, Map<String, Object> params,
            boolean withExtension) throws IOException, InterruptedException {
        Map<String, Object> withMeta = new LinkedHashMap<>(params);
        withMeta.put("_meta", Map.of("io.modelcontextprotocol/protocolVersion", "2026-07-28",
                "io.modelcontextprotocol/clientInfo", Map.of("name", "test", "version", "1"),
                "io.modelcontextprotocol/clientCapabilities",
                withExtension ? Map.of("extensions", Map.of(StoreTasksFeature.EXTENSION, Map.of())) : Map.of()));
        String body = JSON.writeValueAsString(
                Map.of("jsonrpc", "2.0", "id", this.ids.incrementAndGet(), "method", method, "params", withMeta));
        HttpRequest request = HttpRequest.newBuilder(URI.create(instance.url()))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("MCP-Protocol-Version", "2026-07-28")
            .header("Mcp-Method", method)
            .header("Mcp-Name", name)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(WAIT)
            .build();
        HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
        String json = response.body();
        if (response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
            // The response is the stream's last message.
            List<String> data = json.lines().filter((line) -> line.startsWith("data:")).toList();
            json = data.get(data.size() - 1).substring(5).trim();
        }
        return JSON.readValue(json, MAP);
    }

    @SuppressWarnings("unchecked")
    private static String text(Map<String, Object> task) {
        Map<String, Object> result = (Map<String, Object>) task.get("result");
        return (String) ((List<Map<String, Object>>) result.get("content")).get(0).get("text");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> inputRequests(Map<String, Object> task) {
        return (Map<String, Object>) task.get("inputRequests");
    }

    private static Map<String, Object> accepted(String answer) {
        return Map.of("action", "accept", "content", Map.of("answer", answer));
    }

    @SuppressWarnings("unchecked")
    private static String answer(Object response) {
        return (String) ((Map<String, Object>) ((Map<String, Object>) response).get("content")).get("answer");
    }

    /** One instance: a 2026-07-28 server with the store's tasks, in an embedded Tomcat on a free port. */
    private static final class Instance implements AutoCloseable {

        private final StoreTasksFeature tasks;

        private final HttpServletMcpTransport transport;

        private final Tomcat tomcat = new Tomcat();

        Instance(SessionStore store, CountDownLatch interrupted) {
            this.tasks = StoreTasksFeature.builder(store, new NoOtherTools())
                .taskTool(tool("greet_later", (run, request) -> "Hello, " + request.arguments().get("name") + "!"))
                .taskTool(tool("wait_for_cancel", (run, request) -> {
                    try {
                        new CountDownLatch(1).await();
                        return "never";
                    }
                    catch (InterruptedException ex) {
                        interrupted.countDown();
                        throw ex;
                    }
                }))
                .taskTool(tool("ask_two", (run, request) -> {
                    Map<String, Object> answers = run.ask(InputRequiredResult.builder()
                        .elicit("first", ElicitFormRequest.builder("First?", Map.of("type", "object")).build())
                        .elicit("second", ElicitFormRequest.builder("Second?", Map.of("type", "object")).build())
                        .build());
                    return answer(answers.get("first")) + " and " + answer(answers.get("second"));
                }))
                .build();
            McpServer server = McpServer.builder()
                .serverInfo(Implementation.builder("tasks-test", "1.0.0").build())
                .feature(this.tasks)
                .build();
            this.transport = HttpServletMcpTransport.builder(server).endpoint("/mcp").build();
            try {
                File base = Files.createTempDirectory("mcp-modern-tomcat").toFile();
                this.tomcat.setBaseDir(base.getAbsolutePath());
                this.tomcat.setPort(0);
                this.tomcat.getConnector();
                Context context = this.tomcat.addContext("", base.getAbsolutePath());
                Wrapper wrapper = Tomcat.addServlet(context, "mcp", this.transport);
                wrapper.setAsyncSupported(true);
                context.addServletMappingDecoded("/mcp", "mcp");
                this.tomcat.start();
            }
            catch (IOException | LifecycleException ex) {
                throw new IllegalStateException(ex);
            }
        }

        String url() {
            return "http://localhost:" + this.tomcat.getConnector().getLocalPort() + "/mcp";
        }

        @Override
        public void close() {
            this.tasks.close();
            try {
                this.tomcat.stop();
                this.tomcat.destroy();
            }
            catch (LifecycleException ex) {
                throw new IllegalStateException(ex);
            }
        }

    }

    @FunctionalInterface
    private interface Work {

        String run(TaskRun run, CallToolRequest request) throws Exception;

    }

    private static McpTaskTool tool(String name, Work work) {
        return new McpTaskTool() {

            @Override
            public Tool definition() {
                return Tool.builder(name, Map.of("type", "object")).build();
            }

            @Override
            public CallToolResult run(TaskRun run, CallToolRequest request) throws Exception {
                return CallToolResult.builder().addContent(TextContent.builder(work.run(run, request)).build()).build();
            }

        };
    }

    private static final class NoOtherTools implements McpSyncToolRepository {

        @Override
        public ToolsPage list(McpRequestContext context, String cursor) {
            return ToolsPage.of(List.of());
        }

        @Override
        public McpSyncTool find(McpRequestContext context, String name) {
            return null;
        }

    }

}
