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
import org.springframework.test.context.DynamicPropertyRegistry;

import io.mcpsession.store.SessionStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application with one of its database profiles: it starts, uses the JDBC store on that database, and
 * appends and reads back through the API. Subclasses name the profile and point it at a test database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class SampleDatabaseTestSupport {

    /** Tables of the sample tests in the shared test databases, created where missing. */
    static final String TABLE_PREFIX = "SAMPLE_APP_";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    private int port;

    @Autowired
    private SessionStore store;

    /** The database's name in the store's description. */
    abstract String platform();

    /** Points the profile at {@code url}, with the credentials in the URL. */
    static void database(DynamicPropertyRegistry registry, String url) {
        registry.add("spring.datasource.url", () -> url);
        registry.add("spring.datasource.username", () -> "");
        registry.add("mcp.session.store.jdbc.table-prefix", () -> TABLE_PREFIX);
    }

    @Test
    void theProfileUsesTheJdbcStoreOnItsDatabase() throws Exception {
        assertThat(this.store.type()).isEqualTo("jdbc");
        assertThat(this.store.describe()).contains(platform()).contains(TABLE_PREFIX);
        JsonNode health = send(HttpRequest.newBuilder(uri("/actuator/health")).GET(), 200);
        assertThat(health.at("/components/mcpSession/status").asString()).isEqualTo("UP");
    }

    @Test
    void anAppendCanBeReadBackAndIsCounted() throws Exception {
        double appended = appendedMeter();
        String sessionId = post("/mcp-sessions", "{}").get("id").asString();
        post("/mcp-sessions/" + sessionId + "/events", "[{\"id\":\"e1\",\"data\":{\"on\":\"" + platform()
                + "\"}},{\"id\":\"e2\",\"data\":2}]");

        assertThat(appendedMeter()).isEqualTo(appended + 2);

        JsonNode page = send(HttpRequest.newBuilder(uri("/mcp-sessions/" + sessionId + "/events")).GET(), 200);
        assertThat(page.get("events")).hasSize(2);
        assertThat(page.at("/events/0/id").asString()).isEqualTo("e1");
        assertThat(page.at("/events/0/data/on").asString()).isEqualTo(platform());
        assertThat(page.at("/events/1/seq").asLong()).isEqualTo(2);
    }

    /** {@code mcp.session.events.appended} as actuator shows it, tagged with this store. */
    private double appendedMeter() throws Exception {
        JsonNode meter = send(HttpRequest.newBuilder(uri("/actuator/metrics/mcp.session.events.appended")).GET(),
                200);
        assertThat(meter.at("/availableTags/0/values/0").asString()).isEqualTo("jdbc");
        return meter.at("/measurements/0/value").asDouble();
    }

    private JsonNode post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)), 201);
    }

    private JsonNode send(HttpRequest.Builder request, int status) throws Exception {
        HttpResponse<String> response = this.http.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return this.json.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + this.port + path);
    }

}
