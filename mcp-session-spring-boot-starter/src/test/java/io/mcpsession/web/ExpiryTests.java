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
 * Idle expiry over HTTP (SPEC §3.8) with a 5 s timeout and a fast sweeper: an expired session is gone for every
 * request, a waiting long-poll answers 404, and an open stream keeps its session alive. The timeout is what a
 * test's consecutive requests must stay within to find their session alive: seconds, for a loaded machine.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "mcp.session.timeout=" + ExpiryTests.TIMEOUT_MS + "ms", "mcp.session.sweep.interval=200ms",
                "mcp.session.sse.keepalive=200ms", "mcp.session.long-poll.max-wait=30s" })
class ExpiryTests extends WebTestSupport {

    static final long TIMEOUT_MS = 5000;

    /** How long expiry may take to show once due: generous, a wait ends as soon as it shows. */
    private static final Duration EXPIRY_SHOWS = Duration.ofMillis(TIMEOUT_MS + 15_000);

    @Autowired
    SessionStreams streams;

    @Test
    void anIdleSessionExpiresForEveryRequest() {
        String id = createSession("expiry");
        append(id, "{\"data\":1}");
        this.http.putJson(sessionPath(id) + "/state/k", "1").expect(204);
        JsonNode session = this.http.get(sessionPath(id)).expect(200);
        assertThat(java.time.Instant.parse(session.get("expiresAt").asString()))
            .isEqualTo(java.time.Instant.parse(session.get("lastActivity").asString()).plusMillis(TIMEOUT_MS));

        await().atMost(EXPIRY_SHOWS)
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
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> this.http
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
        // Answered at the end of its 30 s wait, the poll would say 404 as well: the time tells, by seconds.
        CompletableFuture<TestHttp.Response> poll = this.http.sendAsync(this.http
            .request(sessionPath(id) + "/events?waitMs=30000")
            .timeout(Duration.ofSeconds(40))
            .GET()
            .build());
        poll.join().expectProblem(404, "SESSION_NOT_FOUND");
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        assertThat(elapsed).as("answered when the session expired, not when the wait ended").isLessThan(20_000);
    }

    @Test
    void anOpenStreamKeepsItsSessionAlive() {
        String id = createSession("expiry-stream");
        JsonNode appended = append(id, "{\"data\":1}");
        try (SseConnection stream = this.http.stream(sessionPath(id) + "/events/stream")) {
            assertThat(stream.next(ITEM_TIMEOUT)).isInstanceOf(Retry.class);
            Event event = stream.nextEvent(ITEM_TIMEOUT);
            assertThat(event.id()).isEqualTo(appended.get("epoch").asString() + ":1");
            // Read the stream for well over the timeout: keepalives only, no session.closed.
            long until = System.nanoTime() + Duration.ofMillis(TIMEOUT_MS * 3 / 2).toNanos();
            while (System.nanoTime() < until) {
                Item item = stream.next(ITEM_TIMEOUT);
                assertThat(item).isInstanceOf(EventStreamParser.Comment.class);
            }
            this.http.get(sessionPath(id)).expect(200);
        }
        // Once the client has gone, the session expires.
        await().atMost(EXPIRY_SHOWS)
            .pollInterval(Duration.ofMillis(100))
            .until(() -> this.http.get(sessionPath(id)).status() == 404);
    }

}
