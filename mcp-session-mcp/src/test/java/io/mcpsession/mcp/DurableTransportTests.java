package io.mcpsession.mcp;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.mcpsession.core.Session;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.memory.InMemorySessionStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The durable transport on the bare SDK, through real HTTP: one instance, and two instances over one store.
 */
class DurableTransportTests {

    private static final String LATEST = "2025-11-25";

    private final SessionStore store = new InMemorySessionStore(StoreSettings.defaults(), Clock.systemUTC());

    private final McpTestClient client = new McpTestClient();

    private McpTestServer a;

    private McpTestServer b;

    @AfterEach
    void stop() {
        for (McpTestServer server : new McpTestServer[] { this.a, this.b }) {
            if (server != null) {
                server.close();
            }
        }
        this.store.close();
    }

    @Test
    void initializeCreatesAStoreSessionWithWhatTheClientAndServerSaid() {
        this.a = McpTestServer.start(this.store);

        String sessionId = this.client.initialize(this.a.url(), LATEST);

        Session session = this.store.find(sessionId).orElseThrow();
        assertThat(session.protocolVersion()).isEqualTo(LATEST);
        assertThat(session.initialized()).isTrue();
        assertThat(McpTestClient.JSON.readTree(session.clientCapabilities()).has("elicitation")).isTrue();
        assertThat(McpTestClient.JSON.readTree(session.serverCapabilities()).has("tools")).isTrue();
        assertThat(McpTestClient.JSON.readTree(session.metadata()).at("/mcp/initialize/clientInfo/name").asString())
            .isEqualTo("test-client");
    }

    @Test
    void aToolCallStreamsItsProgressAndResultWithResumableIds() {
        this.a = McpTestServer.start(this.store);
        String sessionId = this.client.initialize(this.a.url(), LATEST);

        try (McpTestClient.Stream stream = this.client.call(this.a.url(), sessionId, 7, "count_slowly",
                "{\"count\":3,\"intervalMs\":10}", "tok")) {
            List<McpTestClient.Event> events = stream.untilEnd();

            assertThat(events.get(0).retry()).isEqualTo("3000");
            McpTestClient.Event priming = events.stream().filter(McpTestClient.Event::isPriming).findFirst().orElseThrow();
            assertThat(priming.id()).startsWith("p.").endsWith(":0");
            List<McpTestClient.Event> messages = events.stream().filter((event) -> !event.data().isEmpty()).toList();
            assertThat(messages).extracting((event) -> event.json().at("/params/progress").asInt(-1))
                .containsExactly(1, 2, 3, -1);
            JsonNode result = messages.get(3).json();
            assertThat(result.get("id").asInt()).isEqualTo(7);
            assertThat(result.at("/result/content/0/text").asString()).isEqualTo("counted to 3");
            assertThat(messages).allSatisfy((event) -> assertThat(event.id()).startsWith(priming.id().split(":")[0] + ":"));
        }
    }

    @Test
    void aDroppedStreamResumesWithEverythingOnceInOrder() {
        this.a = McpTestServer.start(this.store);
        String sessionId = this.client.initialize(this.a.url(), LATEST);
        String lastEventId;
        try (McpTestClient.Stream stream = this.client.call(this.a.url(), sessionId, "call-1", "count_slowly",
                "{\"count\":20,\"intervalMs\":20}", "tok")) {
            McpTestClient.Event event;
            do {
                event = stream.next();
            }
            while (event.data().isEmpty() || event.json().at("/params/progress").asInt() < 3);
            lastEventId = stream.lastEventId();
        }

        try (McpTestClient.Stream resumed = this.client.listen(this.a.url(), sessionId, lastEventId)) {
            assertThat(resumed.status()).as(lastEventId).isEqualTo(200);
            List<McpTestClient.Event> events = resumed.untilEnd();

            List<McpTestClient.Event> messages = events.stream().filter((event) -> !event.data().isEmpty()).toList();
            assertThat(messages.subList(0, messages.size() - 1))
                .extracting((event) -> event.json().at("/params/progress").asInt())
                .containsExactly(4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20);
            JsonNode result = messages.get(messages.size() - 1).json();
            assertThat(result.get("id").asString()).isEqualTo("call-1");
            assertThat(result.at("/result/content/0/text").asString()).isEqualTo("counted to 20");
            lastEventId = resumed.lastEventId();
        }
        assertThat(this.client.get(this.a.url(), sessionId, lastEventId).statusCode())
            .as("a stream resumed after its final message has nothing more")
            .isEqualTo(204);
    }

    @Test
    void anotherInstanceServesTheSessionAndResumesTheStreamWhileTheFirstRunsTheCall() {
        this.a = McpTestServer.start(this.store);
        this.b = McpTestServer.start(this.store);
        String sessionId = this.client.initialize(this.a.url(), LATEST);
        String lastEventId;
        try (McpTestClient.Stream stream = this.client.call(this.a.url(), sessionId, 1, "count_slowly",
                "{\"count\":30,\"intervalMs\":20}", "tok")) {
            stream.next();
            stream.next();
            lastEventId = stream.lastEventId();
        }

        try (McpTestClient.Stream resumed = this.client.listen(this.b.url(), sessionId, lastEventId)) {
            List<McpTestClient.Event> messages = resumed.untilEnd().stream()
                .filter((event) -> !event.data().isEmpty())
                .toList();

            assertThat(messages).hasSizeGreaterThan(1);
            List<Integer> progress = messages.subList(0, messages.size() - 1).stream()
                .map((event) -> event.json().at("/params/progress").asInt())
                .toList();
            assertThat(progress).isSorted().doesNotHaveDuplicates().endsWith(30);
            assertThat(progress.get(0)).isEqualTo(30 - progress.size() + 1);
            assertThat(messages.get(messages.size() - 1).json().at("/result/content/0/text").asString())
                .isEqualTo("counted to 30");
        }
        HttpResponse<String> list = this.client.post(this.b.url(), sessionId,
                "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("count_slowly");
    }

    @Test
    void aStreamWhoseInstanceDiedEndsWithOneErrorAndNoRerun() {
        this.a = McpTestServer.start(this.store);
        this.b = McpTestServer.start(this.store);
        String sessionId = this.client.initialize(this.a.url(), LATEST);
        String lastEventId;
        try (McpTestClient.Stream stream = this.client.call(this.a.url(), sessionId, 5, "wait_for_release", "{}",
                null)) {
            assertThat(stream.next().isPriming()).isTrue();
            lastEventId = stream.lastEventId();
        }
        this.a.kill();

        try (McpTestClient.Stream resumed = this.client.listen(this.b.url(), sessionId, lastEventId)) {
            List<McpTestClient.Event> messages = resumed.untilEnd().stream()
                .filter((event) -> !event.data().isEmpty())
                .toList();

            assertThat(messages).singleElement().satisfies((event) -> {
                assertThat(event.json().get("id").asInt()).isEqualTo(5);
                assertThat(event.json().at("/error/code").asInt()).isEqualTo(-32603);
            });
        }
        this.a.release.countDown();
        try (McpTestClient.Stream again = this.client.listen(this.b.url(), sessionId, lastEventId)) {
            assertThat(again.untilEnd().stream().filter((event) -> !event.data().isEmpty()))
                .as("the stream keeps exactly one final message, whoever wrote it first")
                .singleElement()
                .satisfies((event) -> assertThat(event.json().has("error")).isTrue());
        }
    }

    @Test
    void theSessionSurvivesEveryInstanceThatServedIt() {
        this.a = McpTestServer.start(this.store);
        String sessionId = this.client.initialize(this.a.url(), LATEST);
        this.a.close();
        this.a = null;

        this.b = McpTestServer.start(this.store);
        try (McpTestClient.Stream stream = this.client.call(this.b.url(), sessionId, 1, "count_slowly",
                "{\"count\":1,\"intervalMs\":1}", null)) {
            List<McpTestClient.Event> messages = stream.untilResponse();
            assertThat(messages.get(messages.size() - 1).json().at("/result/content/0/text").asString())
                .isEqualTo("counted to 1");
        }
    }

    @Test
    void anElicitationAnsweredOnAnotherInstanceReachesTheWaitingCall() {
        this.a = McpTestServer.start(this.store);
        this.b = McpTestServer.start(this.store);
        String sessionId = this.client.initialize(this.a.url(), LATEST);

        try (McpTestClient.Stream stream = this.client.call(this.a.url(), sessionId, 9, "ask", "{}", null)) {
            McpTestClient.Event request;
            do {
                request = stream.next();
            }
            while (request.data().isEmpty());
            assertThat(request.json().get("method").asString()).isEqualTo("elicitation/create");
            String requestId = request.json().get("id").asString();

            HttpResponse<String> answer = this.client.post(this.b.url(), sessionId, "{\"jsonrpc\":\"2.0\",\"id\":"
                    + McpTestClient.JSON.writeValueAsString(requestId)
                    + ",\"result\":{\"action\":\"accept\",\"content\":{\"name\":\"Ada\"}}}");
            assertThat(answer.statusCode()).isEqualTo(202);

            List<McpTestClient.Event> rest = stream.untilResponse();
            assertThat(rest.get(rest.size() - 1).json().at("/result/content/0/text").asString())
                .isEqualTo("hello Ada");
        }
    }

    @Test
    void aListChangedNotificationReachesTheGetStreamOfASessionServedByAnotherInstance() {
        this.a = McpTestServer.start(this.store);
        this.b = McpTestServer.start(this.store);
        String sessionId = this.client.initialize(this.b.url(), LATEST);

        try (McpTestClient.Stream listening = this.client.listen(this.b.url(), sessionId, null)) {
            assertThat(listening.next().isPriming()).isTrue();
            this.a.server().notifyToolsListChanged();

            McpTestClient.Event notification = listening.next();
            assertThat(notification.json().get("method").asString()).isEqualTo("notifications/tools/list_changed");
            assertThat(notification.id()).startsWith("g:");
        }
    }

    @Test
    void aNewerGetStreamEndsTheOlderOne() {
        this.a = McpTestServer.start(this.store);
        this.b = McpTestServer.start(this.store);
        String sessionId = this.client.initialize(this.a.url(), LATEST);

        try (McpTestClient.Stream first = this.client.listen(this.a.url(), sessionId, null);
                McpTestClient.Stream second = this.client.listen(this.b.url(), sessionId, null)) {
            assertThat(second.next().isPriming()).isTrue();
            assertThat(first.untilEnd()).allSatisfy((event) -> assertThat(event.data()).isEmpty());
            this.a.server().notifyToolsListChanged();
            assertThat(second.next().json().get("method").asString()).isEqualTo("notifications/tools/list_changed");
        }
    }

    @Test
    void aToolThatEndsTheConnectionIsAnsweredOnTheResumedStream() {
        this.a = McpTestServer.start(this.store);
        String sessionId = this.client.initialize(this.a.url(), LATEST);
        String lastEventId;
        try (McpTestClient.Stream stream = this.client.call(this.a.url(), sessionId, 11, "reconnect", "{}", null)) {
            List<McpTestClient.Event> events = stream.untilEnd();
            assertThat(events).allSatisfy((event) -> assertThat(event.data()).isEmpty());
            lastEventId = stream.lastEventId();
        }

        try (McpTestClient.Stream resumed = this.client.listen(this.a.url(), sessionId, lastEventId)) {
            List<McpTestClient.Event> messages = resumed.untilEnd().stream()
                .filter((event) -> !event.data().isEmpty())
                .toList();
            assertThat(messages).singleElement()
                .satisfies((event) -> assertThat(event.json().at("/result/content/0/text").asString())
                    .isEqualTo("answered after the connection ended"));
        }
    }

    @Test
    void aResponseLargerThanTheStoreKeepsBecomesAnError() {
        SessionStore small = new InMemorySessionStore(StoreSettings.defaults().withMaxEventBytes(2048),
                Clock.systemUTC());
        try (McpTestServer server = McpTestServer.start(small)) {
            String sessionId = this.client.initialize(server.url(), LATEST);
            try (McpTestClient.Stream stream = this.client.call(server.url(), sessionId, 12, "echo",
                    "{\"text\":\"" + "x".repeat(4000) + "\"}", null)) {
                List<McpTestClient.Event> messages = stream.untilResponse();
                JsonNode response = messages.get(messages.size() - 1).json();
                assertThat(response.get("id").asInt()).isEqualTo(12);
                assertThat(response.at("/error/message").asString()).contains("max-event-bytes");
            }
        }
        finally {
            small.close();
        }
    }

    @Test
    void olderClientsGetNoPrimingEvent() {
        this.a = McpTestServer.start(this.store);
        String sessionId = this.client.initialize(this.a.url(), "2025-06-18");

        try (McpTestClient.Stream stream = this.client.call(this.a.url(), sessionId, 1, "count_slowly",
                "{\"count\":1,\"intervalMs\":1}", null)) {
            List<McpTestClient.Event> events = stream.untilEnd();
            assertThat(events).noneMatch(McpTestClient.Event::isPriming);
            assertThat(events.get(events.size() - 1).id()).startsWith("p.");
        }
    }

    @Test
    void drainEndsStreamsAtOnceAndWaitsForRunningCalls() {
        this.a = McpTestServer.start(this.store);
        String sessionId = this.client.initialize(this.a.url(), LATEST);
        McpTestClient.Stream stream = this.client.call(this.a.url(), sessionId, 3, "wait_for_release", "{}", null);
        assertThat(stream.next().isPriming()).isTrue();

        CompletableFuture<Boolean> drained = CompletableFuture
            .supplyAsync(() -> this.a.provider().drain(java.time.Duration.ofSeconds(30)));
        assertThat(stream.untilEnd()).as("the connection ends at once; the call runs on").isEmpty();
        assertThat(drained).isNotDone();
        assertThat(this.a.provider().runningRequests()).isEqualTo(1);

        this.a.release.countDown();
        assertThat(drained.join()).isTrue();
        assertThat(this.client.post(this.a.url(), sessionId, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/list\"}")
            .statusCode()).isEqualTo(503);
        await().atMost(McpTestClient.WAIT).until(() -> this.a.provider().openStreams() == 0);
    }

}
