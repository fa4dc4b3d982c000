package io.mcpsession.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import io.nats.client.Connection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.mcpsession.nats.NatsSessionStore;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.testengines.TestNats;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application with the documented {@code nats} profile, against the tests' NATS ({@link TestNats}; the
 * test fails without one). Its streams and buckets get a prefix of their own and are deleted afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("nats")
class SampleApplicationNatsTests {

    private static final String PREFIX = "S" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    private int port;

    @Autowired
    private SessionStore store;

    @Autowired
    private Connection connection;

    @DynamicPropertySource
    static void nats(DynamicPropertyRegistry registry) {
        registry.add("mcp.session.store.nats.url", TestNats::url);
        registry.add("mcp.session.store.nats.prefix", () -> PREFIX);
    }

    @AfterEach
    void deleteStreams() {
        try (NatsSessionStore owner = new NatsSessionStore(this.connection, StoreSettings.defaults(), PREFIX,
                Clock.systemUTC())) {
            owner.deleteEverything();
        }
    }

    @Test
    void theNatsProfileServesTheApiAndMcpFromJetStream() throws Exception {
        assertThat(this.store.type()).isEqualTo("nats");
        assertThat(get("/actuator/health").at("/components/mcpSession/status").asString()).isEqualTo("UP");

        String sessionId = post("/mcp-sessions", "{}").get("id").asString();
        post("/mcp-sessions/" + sessionId + "/events", "{\"id\":\"e1\",\"data\":{\"on\":\"nats\"}}");

        JsonNode page = get("/mcp-sessions/" + sessionId + "/events");
        assertThat(page.get("events")).singleElement().satisfies((event) -> {
            assertThat(event.get("seq").asLong()).isEqualTo(1);
            assertThat(event.at("/data/on").asString()).isEqualTo("nats");
        });
        assertThat(this.connection.jetStreamManagement().getStreamNames()).as("kept in JetStream")
            .contains(PREFIX + "_EVENTS");
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return this.json.readTree(response.body());
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return this.json.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return this.http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + this.port + path);
    }

}
