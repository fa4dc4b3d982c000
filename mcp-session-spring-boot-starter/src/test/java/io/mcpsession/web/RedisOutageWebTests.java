package io.mcpsession.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.mcpsession.observability.McpSessionHealthIndicator;
import io.mcpsession.redis.OwnRedisServer;
import io.mcpsession.web.EventStreamParser.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP API on the Redis store when Redis itself goes wrong, on a Redis of the test's own: a flushed Redis
 * gives an SSE client resuming from before the flush a {@code reset} with reason {@code epoch}, and a Redis that
 * is down gives {@code 503 STORE_UNAVAILABLE} until it is back, with nothing acknowledged lost, and a health
 * indicator that says so in the project's words.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "mcp.session.store.type=redis", "spring.data.redis.timeout=1s",
                "mcp.session.sse.keepalive=" + WebTestSupport.KEEPALIVE_MS + "ms",
                "mcp.session.sse.retry=" + WebTestSupport.RETRY_MS + "ms" })
@DirtiesContext
@Import(RedisOutageWebTests.OwnRedisServerConfiguration.class)
class RedisOutageWebTests extends WebTestSupport {

    private static final OwnRedisServer server = OwnRedisServer.start();

    @Autowired
    private McpSessionHealthIndicator healthIndicator;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", server::url);
    }

    /** Stops the server once the application closes, after the store has stopped using it. */
    @TestConfiguration(proxyBeanMethods = false)
    static class OwnRedisServerConfiguration {

        @Bean(destroyMethod = "close")
        OwnRedisServer ownRedisServer() {
            return server;
        }

    }

    @Test
    void anSseClientResumingFromBeforeAFlushGetsAnEpochReset() {
        String id = createSession("flushed");
        for (int i = 1; i <= 3; i++) {
            append(id, "{\"data\":" + i + "}");
        }
        String oldEpoch = epochOf(readEvents(id, ""));

        assertThat(server.command("FLUSHALL")).isEqualTo("+OK");
        this.http.get(sessionPath(id)).expectProblem(404, "SESSION_NOT_FOUND");
        this.http.postJson(BASE, "{\"id\":\"" + id + "\"}").expect(201);
        append(id, "{\"data\":\"new 1\"}");
        append(id, "{\"data\":\"new 2\"}");

        JsonNode page = readEvents(id, "?after=3&epoch=" + oldEpoch);
        assertThat(page.get("reset").asBoolean()).isTrue();
        assertThat(page.get("resetReason").asString()).isEqualTo("epoch");
        String newEpoch = epochOf(page);
        assertThat(newEpoch).isNotEqualTo(oldEpoch);
        try (SseConnection stream = this.http.stream(sessionPath(id) + "/events/stream", "Last-Event-ID",
                oldEpoch + ":3")) {
            Event reset = stream.nextEvent(ITEM_TIMEOUT);
            assertThat(reset.type()).isEqualTo("reset");
            assertThat(reset.id()).isEqualTo(newEpoch + ":0");
            JsonNode data = TestHttp.parse(reset.data());
            assertThat(data.get("reason").asString()).isEqualTo("epoch");
            assertThat(data.get("epoch").asString()).isEqualTo(newEpoch);
            assertThat(data.get("latest").asLong()).isEqualTo(2);
            assertThat(stream.nextEvent(ITEM_TIMEOUT).id()).isEqualTo(newEpoch + ":1");
            assertThat(stream.nextEvent(ITEM_TIMEOUT).id()).isEqualTo(newEpoch + ":2");
        }
    }

    @Test
    void whileRedisIsDownTheApiAnswers503AndRecoversByItself() {
        String id = createSession("outage");
        JsonNode before = append(id, "{\"id\":\"before\",\"data\":1}");

        server.kill();
        try {
            this.http.postJson(sessionPath(id) + "/events", "{\"data\":2}").expectProblem(503, "STORE_UNAVAILABLE");
            this.http.get(sessionPath(id) + "/events").expectProblem(503, "STORE_UNAVAILABLE");
            this.http.postJson(BASE, "{}").expectProblem(503, "STORE_UNAVAILABLE");
            Health health = this.healthIndicator.health(true);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails()).containsEntry("error", "The session store is unavailable");
            assertThat(health.getDetails().toString()).as("health details name no class")
                .doesNotContain("Exception")
                .doesNotContain("io.lettuce")
                .doesNotContain("org.springframework");
        }
        finally {
            server.restart();
        }

        await().atMost(Duration.ofSeconds(45)).until(() -> this.http.get(sessionPath(id)).status() == 200);
        JsonNode events = readEvents(id, "");
        assertThat(epochOf(events)).isEqualTo(before.get("epoch").asString());
        assertThat(events.get("events")).singleElement().satisfies((event) -> {
            assertThat(event.get("id").asString()).isEqualTo("before");
            assertThat(event.get("seq").asLong()).isEqualTo(1);
        });
        assertThat(append(id, "{\"data\":3}").get("seq").asLong()).isEqualTo(2);
    }

}
