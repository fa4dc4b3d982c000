package io.mcpsession.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.mcpsession.store.SessionStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application as an operator sees it: the API answers, and actuator shows live mcp-session meters
 * and health.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    private int port;

    @Autowired
    private SessionStore store;

    @Test
    void metricsShowLiveValues() throws Exception {
        double before = measurement("mcp.session.events.appended");
        String sessionId = post("/mcp-sessions", "{}", 201).get("id").asString();
        post("/mcp-sessions/" + sessionId + "/events", "[{\"data\":1},{\"data\":2}]", 201);

        assertThat(measurement("mcp.session.events.appended")).isEqualTo(before + 2);
        assertThat(measurement("mcp.session.created")).isGreaterThanOrEqualTo(1);
        assertThat(measurement("mcp.session.active")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void healthReportsTheStore() throws Exception {
        JsonNode health = get("/actuator/health", 200);
        assertThat(health.at("/components/mcpSession/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/mcpSession/details/store").asString()).isNotEmpty();
    }

    @Test
    void theDefaultProfileNeedsNoRedis() throws Exception {
        // Redis is on the class path for the 'redis' profile; the default profile neither uses nor checks it.
        assertThat(this.store.type()).isNotEqualTo("redis");
        JsonNode health = get("/actuator/health", 200);
        assertThat(health.get("status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/redis").isMissingNode()).isTrue();
    }

    @Test
    void prometheusScrapeHasTheMeters() throws Exception {
        String sessionId = post("/mcp-sessions", "{}", 201).get("id").asString();
        post("/mcp-sessions/" + sessionId + "/events", "{\"data\":1}", 201);
        HttpResponse<String> scrape = send(HttpRequest.newBuilder(uri("/actuator/prometheus")).GET());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).contains("mcp_session_events_appended_total{store=")
            .contains("mcp_session_active{store=")
            .contains("mcp_session_store_seconds_count{");
    }

    private double measurement(String meter) throws Exception {
        return get("/actuator/metrics/" + meter, 200).at("/measurements/0/value").asDouble();
    }

    private JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return this.json.readTree(response.body());
    }

    private JsonNode post(String path, String body, int status) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return this.json.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return this.http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + this.port + path);
    }

}
