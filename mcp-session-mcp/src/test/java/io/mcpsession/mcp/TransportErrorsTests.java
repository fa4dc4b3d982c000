package io.mcpsession.mcp;

import java.net.http.HttpResponse;
import java.time.Clock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.memory.InMemorySessionStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the endpoint answers to requests it cannot serve: a status code and a JSON-RPC error body, never a stack
 * trace; and nothing of a session to anyone but its principal.
 */
class TransportErrorsTests {

    private static final String TOOLS_LIST = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}";

    private final SessionStore store = new InMemorySessionStore(StoreSettings.defaults(), Clock.systemUTC());

    private final McpTestClient client = new McpTestClient();

    private McpTestServer server;

    @BeforeEach
    void start() {
        this.server = McpTestServer.start(this.store, (settings) -> settings.maxRequestBytes(4096));
    }

    @AfterEach
    void stop() {
        this.server.close();
        this.store.close();
    }

    @Test
    void anUnknownSessionIs404WithAJsonRpcError() {
        HttpResponse<String> response = this.client.post(this.server.url(), "no-such-session", TOOLS_LIST);

        assertThat(response.statusCode()).isEqualTo(404);
        assertError(response, -32001);
    }

    @Test
    void aRequestWithoutSessionIdIs400() {
        assertError(this.client.post(this.server.url(), null, TOOLS_LIST), -32600);
        assertThat(this.client.post(this.server.url(), null, TOOLS_LIST).statusCode()).isEqualTo(400);
        assertThat(this.client.get(this.server.url(), null, null).statusCode()).isEqualTo(400);
        assertThat(this.client.delete(this.server.url(), null).statusCode()).isEqualTo(400);
    }

    @Test
    void aDeletedSessionIsGoneFromTheStoreAndAnswers404() {
        String sessionId = this.client.initialize(this.server.url(), "2025-11-25");

        assertThat(this.client.delete(this.server.url(), sessionId).statusCode()).isEqualTo(200);

        assertThat(this.store.find(sessionId)).isEmpty();
        assertThat(this.client.post(this.server.url(), sessionId, TOOLS_LIST).statusCode()).isEqualTo(404);
        assertThat(this.client.delete(this.server.url(), sessionId).statusCode()).isEqualTo(404);
    }

    @Test
    void anotherPrincipalsSessionLooksLikeNoSession() {
        String sessionId = new McpTestClient().as("ann").initialize(this.server.url(), "2025-11-25");
        McpTestClient bob = new McpTestClient().as("bob");

        assertThat(bob.post(this.server.url(), sessionId, TOOLS_LIST).statusCode()).isEqualTo(404);
        assertThat(bob.get(this.server.url(), sessionId, "g:0").statusCode()).isEqualTo(404);
        assertThat(bob.delete(this.server.url(), sessionId).statusCode()).isEqualTo(404);
        assertThat(this.client.post(this.server.url(), sessionId, TOOLS_LIST).statusCode())
            .as("anonymous is a principal of its own")
            .isEqualTo(404);
        assertThat(new McpTestClient().as("ann").post(this.server.url(), sessionId, TOOLS_LIST).statusCode())
            .isEqualTo(200);
        assertThat(this.store.find(sessionId).orElseThrow().principal()).isEqualTo("ann");
    }

    @Test
    void aForeignOriginIsRefused() {
        HttpResponse<String> response = new McpTestClient().header("Origin", "http://evil.example.com")
            .post(this.server.url(), null, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{}}");

        assertThat(response.statusCode()).isEqualTo(403);
        assertError(response, -32600);
        assertThat(this.store.countSessions()).isZero();
    }

    @Test
    void aLocalOriginIsAccepted() {
        String sessionId = new McpTestClient().header("Origin", "http://localhost:6274")
            .initialize(this.server.url(), "2025-11-25");

        assertThat(this.store.find(sessionId)).isPresent();
    }

    @Test
    void aBodyThatIsNotJsonIsRefusedAndATooLargeOneIs413() {
        HttpResponse<String> form = this.client.post(this.server.url(), null, "application/x-www-form-urlencoded",
                "a=b");
        assertThat(form.statusCode()).isEqualTo(415);
        assertError(form, -32600);
        HttpResponse<String> broken = this.client.post(this.server.url(), null, "{\"jsonrpc\":");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertError(broken, -32700);

        String large = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\",\"params\":{\"pad\":\"" + "x".repeat(5000) + "\"}}";
        assertThat(this.client.post(this.server.url(), null, large).statusCode()).isEqualTo(413);
    }

    @Test
    void anUnsupportedProtocolVersionHeaderIs400() {
        String sessionId = this.client.initialize(this.server.url(), "2025-11-25");

        HttpResponse<String> response = new McpTestClient().header("MCP-Protocol-Version", "1999-01-01")
            .post(this.server.url(), sessionId, TOOLS_LIST);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("1999-01-01");
    }

    @Test
    void aMalformedLastEventIdIs400() {
        String sessionId = this.client.initialize(this.server.url(), "2025-11-25");

        assertThat(this.client.get(this.server.url(), sessionId, "not-ours").statusCode()).isEqualTo(400);
    }

    @Test
    void aLastEventIdOfAnotherSessionReplaysNothingOfIt() {
        String ann = this.client.initialize(this.server.url(), "2025-11-25");
        String lastEventId;
        try (McpTestClient.Stream stream = this.client.call(this.server.url(), ann, 1, "count_slowly",
                "{\"count\":2,\"intervalMs\":1}", "tok")) {
            stream.untilEnd();
            String last = stream.lastEventId();
            lastEventId = last.substring(0, last.indexOf(':')) + ":0";
        }
        String other = this.client.initialize(this.server.url(), "2025-11-25");

        try (McpTestClient.Stream replay = this.client.listen(this.server.url(), other, lastEventId)) {
            assertThat(replay.untilEnd()).noneMatch((event) -> event.data().contains("counted to")
                    || event.data().contains("progress"));
        }
    }

    private static void assertError(HttpResponse<String> response, int code) {
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode body = McpTestClient.JSON.readTree(response.body());
        assertThat(body.get("jsonrpc").asString()).isEqualTo("2.0");
        assertThat(body.at("/error/code").asInt()).isEqualTo(code);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.");
    }

}
