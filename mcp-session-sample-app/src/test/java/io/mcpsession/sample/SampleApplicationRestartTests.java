package io.mcpsession.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

import io.mcpsession.store.SessionStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application's default store keeps sessions across a restart: the application runs, stops, and runs
 * again on the same H2 file, and serves the session, its events, its state and the feed as they were.
 */
class SampleApplicationRestartTests {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final JsonMapper json = JsonMapper.builder().build();

    @Test
    void theDefaultDatabaseIsAnH2FileThatWritesCommitsAtOnce() throws Exception {
        Resource yaml = new ClassPathResource("application.yml");
        Object url = new YamlPropertySourceLoader().load("application", yaml).get(0)
            .getProperty("spring.datasource.url");
        assertThat(url).asString().startsWith("jdbc:h2:file:./data/").contains("WRITE_DELAY=0");
    }

    @Test
    void sessionsAndTheirEventsSurviveARestart(@TempDir Path directory) throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve("mcp-session").toAbsolutePath()
                + ";AUTO_SERVER=FALSE;WRITE_DELAY=0";
        String sessionId;
        long feedLatest;
        try (ConfigurableApplicationContext first = start(url)) {
            assertThat(first.getBean(SessionStore.class).describe()).startsWith("jdbc (h2");
            sessionId = send(first, "POST", "/mcp-sessions", "{\"metadata\":{\"user\":\"ann\"}}", 201).get("id")
                .asString();
            send(first, "POST", "/mcp-sessions/" + sessionId + "/events", "[{\"id\":\"e1\",\"data\":1},{\"data\":2}]",
                    201);
            send(first, "PUT", "/mcp-sessions/" + sessionId + "/state/step", "\"two\"", 204);
            feedLatest = send(first, "GET", "/mcp-sessions/feed", null, 200).get("latest").asLong();
        }

        try (ConfigurableApplicationContext second = start(url)) {
            JsonNode session = send(second, "GET", "/mcp-sessions/" + sessionId, null, 200);
            assertThat(session.at("/metadata/user").asString()).isEqualTo("ann");
            JsonNode page = send(second, "GET", "/mcp-sessions/" + sessionId + "/events", null, 200);
            assertThat(page.get("events")).hasSize(2);
            assertThat(page.at("/events/0/id").asString()).isEqualTo("e1");
            assertThat(page.at("/events/1/seq").asLong()).isEqualTo(2);
            assertThat(send(second, "GET", "/mcp-sessions/" + sessionId + "/state/step", null, 200).asString())
                .isEqualTo("two");
            JsonNode third = send(second, "POST", "/mcp-sessions/" + sessionId + "/events", "{\"data\":3}", 201);
            assertThat(third.get("seq").asLong()).isEqualTo(3);
            assertThat(third.get("epoch").asString()).isEqualTo(page.get("epoch").asString());
            assertThat(send(second, "GET", "/mcp-sessions/feed", null, 200).get("latest").asLong())
                .isGreaterThan(feedLatest);
        }
    }

    private static ConfigurableApplicationContext start(String url) {
        return new SpringApplicationBuilder(SampleApplication.class).run("--server.port=0",
                "--spring.datasource.url=" + url);
    }

    /** Sends a JSON body (or none) to the application and returns the parsed answer (null when empty). */
    private JsonNode send(ConfigurableApplicationContext context, String method, String path, String body,
            int status) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(uri(context, path))
            .header("Content-Type", "application/json")
            .method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
                    : HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(10))
            .build();
        HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response.body().isEmpty() ? null : this.json.readTree(response.body());
    }

    private static URI uri(ConfigurableApplicationContext context, String path) {
        return URI.create("http://localhost:" + context.getEnvironment().getProperty("local.server.port") + path);
    }

}
