package io.mcpsession.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.mcpsession.store.SessionStore;
import io.mcpsession.testengines.TestRedis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application with the documented {@code redis} profile, against the tests' Redis ({@link TestRedis};
 * the test fails without one: a skipped test would hide a broken profile). Its keys get a prefix of their own and
 * are deleted afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("redis")
class SampleApplicationRedisTests {

    private static final String KEY_PREFIX = "sample-test:" + UUID.randomUUID() + ":";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    private int port;

    @Autowired
    private SessionStore store;

    @Autowired
    private RedisConnectionFactory connectionFactory;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", TestRedis::url);
        registry.add("mcp.session.store.redis.key-prefix", () -> KEY_PREFIX);
    }

    @AfterEach
    void deleteKeys() {
        StringRedisTemplate redis = new StringRedisTemplate(this.connectionFactory);
        Set<String> keys = redis.keys(KEY_PREFIX + "*");
        if (keys != null && !keys.isEmpty()) {
            redis.delete(keys);
        }
    }

    @Test
    void theRedisProfileUsesTheRedisStore() throws Exception {
        assertThat(this.store.type()).isEqualTo("redis");
        JsonNode health = get("/actuator/health");
        assertThat(health.at("/components/mcpSession/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/redis/status").asString()).isEqualTo("UP");
    }

    @Test
    void anAppendCanBeReadBackAndIsCounted() throws Exception {
        double appended = appendedMeter();
        String sessionId = post("/mcp-sessions", "{}").get("id").asString();
        post("/mcp-sessions/" + sessionId + "/events", "{\"id\":\"e1\",\"data\":{\"on\":\"redis\"}}");

        assertThat(appendedMeter()).isEqualTo(appended + 1);

        JsonNode page = get("/mcp-sessions/" + sessionId + "/events");
        assertThat(page.get("events")).singleElement().satisfies((event) -> {
            assertThat(event.get("seq").asLong()).isEqualTo(1);
            assertThat(event.get("id").asString()).isEqualTo("e1");
            assertThat(event.at("/data/on").asString()).isEqualTo("redis");
        });
        assertThat(new StringRedisTemplate(this.connectionFactory).keys(KEY_PREFIX + "*")).isNotEmpty();
    }

    /** {@code mcp.session.events.appended} as actuator shows it, tagged with this store. */
    private double appendedMeter() throws Exception {
        JsonNode meter = get("/actuator/metrics/mcp.session.events.appended");
        assertThat(meter.at("/availableTags/0/values/0").asString()).isEqualTo("redis");
        return meter.at("/measurements/0/value").asDouble();
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
