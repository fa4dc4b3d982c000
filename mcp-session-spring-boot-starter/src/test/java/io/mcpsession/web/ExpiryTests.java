package io.mcpsession.web;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.mcpsession.web.EventStreamParser.Event;
import io.mcpsession.web.EventStreamParser.Item;
import io.mcpsession.web.EventStreamParser.Retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Idle expiry over HTTP (SPEC §3.8) with a 2 s timeout and a fast sweeper: an expired session is gone for every
 * request, a waiting long-poll answers 404, and an open stream keeps its session alive.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "mcp.session.timeout=2s", "mcp.session.sweep.interval=200ms",
                "mcp.session.sse.keepalive=200ms", "mcp.session.long-poll.max-wait=8s" })
class ExpiryTests extends WebTestSupport {

    @Autowired
    SessionStreams streams;

    @Test
    void anIdleSessionExpiresForEveryRequest() {
        String id = createSession("expiry");
        append(id, "{\"data\":1}");
        this.http.putJson(sessionPath(id) + "/state/k", "1").expect(204);
        JsonNode session = this.http.get(sessionPath(id)).expect(200);
        assertThat(java.time.Instant.parse(session.get("expiresAt").asString()))
            .isEqualTo(java.time.Instant.parse(session.get("lastActivity").asString()).plusSeconds(2));

        await().atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> this.http.get(sessionPath(id)).status() == 404);
        this.http.get(sessionPath(id)).expectProblem(404, "SESSION_NOT_FOUND");
        this.http.get(sessionPath(id) + "/events").expectProblem(404, "SESSION_NOT_FOUND");
        this.http.get(sessionPath(id) + "/events/latest").expectProblem(404, "SESSION_NOT_FOUND");
        this.http.get(sessionPath(id) + "/state/k").expectProblem(404, "SESSION_NOT_FOUND");
        this.http.postJson(sessionPath(id) + "/events", "{\"data\":2}").expectProblem(404, "SESSION_NOT_FOUND");
        this.http.get(sessionPath(id) + "/events/stream", "Accept", "text/event-stream")
            .expectProblem(404, "SESSION_NOT_FOUND");
        this.http.delete(sessionPath(id)).expectProblem(404, "SESSION_NOT_FOUND");

        // The sweeper records the expiry in the feed.
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> this.http
            .get(BASE + "/feed?types=session.expired&sessionId=" + TestHttp.query(id))
            .json()
            .get("entries")
            .size() == 1);

        // The id is free again, with a fresh log.
        this.http.postJson(BASE, "{\"id\":\"" + id + "\"}").expect(201);
        assertThat(readEvents(id, "").get("latest").asLong()).isZero();
    }

    @Test
    void aWaitingLongPollAnswersNotFoundWhenItsSessionExpires() {
        String id = createSession("expiry-poll");
        long start = System.nanoTime();
        CompletableFuture<TestHttp.Response> poll = this.http
            .sendAsync(this.http.request(sessionPath(id) + "/events?waitMs=8000").GET().build());
        poll.join().expectProblem(404, "SESSION_NOT_FOUND");
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsed).as("answered when the session expired, not when the wait ended").isLessThan(6000);
    }

    @Test
    void anOpenStreamKeepsItsSessionAlive() {
        String id = createSession("expiry-stream");
        JsonNode appended = append(id, "{\"data\":1}");
        try (SseConnection stream = this.http.stream(sessionPath(id) + "/events/stream")) {
            assertThat(stream.next(ITEM_TIMEOUT)).isInstanceOf(Retry.class);
            Event event = stream.nextEvent(ITEM_TIMEOUT);
            assertThat(event.id()).isEqualTo(appended.get("epoch").asString() + ":1");
            // Read the stream for well over the 2 s timeout: keepalives only, no session.closed.
            long until = System.nanoTime() + Duration.ofMillis(3500).toNanos();
            while (System.nanoTime() < until) {
                Item item = stream.next(ITEM_TIMEOUT);
                assertThat(item).isInstanceOf(EventStreamParser.Comment.class);
            }
            this.http.get(sessionPath(id)).expect(200);
        }
        // Once the client has gone, the session expires.
        await().atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> this.http.get(sessionPath(id)).status() == 404);
    }

}
