package io.mcpsession.web;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Long-polls of a session's log and of the feed (SPEC §3.6). The shared context caps waits at 30 s; a poll
 * that should be answered early asks for {@value #WAIT_MS} ms, so that an answer by the wait running out (which
 * would often hold the same page, read then) is told apart by seconds, not milliseconds, on a loaded machine.
 */
class LongPollTests extends SharedContextTestSupport {

    /** The wait of a poll that something should answer early. */
    private static final long WAIT_MS = 20_000;

    /** Answered early: well before {@link #WAIT_MS}, with seconds to spare for a loaded 2-core machine. */
    private static final long EARLY_MS = WAIT_MS / 2;

    /** Slack on top of a short wait that should run out: far below the 30 s max-wait it must not fall back to. */
    private static final long SLACK_MS = 10_000;

    @Autowired
    SessionStreams streams;

    @Test
    void nothingToReadAnswersEmptyAfterTheWait() {
        String id = createSession("poll-empty");
        append(id, "{\"data\":1}");
        long start = System.nanoTime();
        JsonNode page = readEvents(id, "?after=1&waitMs=500");
        long elapsed = elapsedMs(start);
        assertThat(elapsed).isGreaterThanOrEqualTo(500).isLessThan(500 + SLACK_MS);
        assertThat(page.get("events").size()).isZero();
        assertThat(page.get("reset").asBoolean()).isFalse();
        assertThat(page.get("latest").asLong()).isEqualTo(1);
        assertThat(page.get("nextCursor").asLong()).isEqualTo(1);
    }

    @Test
    void somethingToReadAnswersAtOnce() {
        String id = createSession("poll-ready");
        append(id, "{\"data\":1}");
        long start = System.nanoTime();
        JsonNode page = longPoll(sessionPath(id) + "/events?after=0&waitMs=" + WAIT_MS).join().expect(200);
        assertThat(elapsedMs(start)).as("answered well before the %d ms wait", WAIT_MS).isLessThan(EARLY_MS);
        assertThat(EventApiTests.seqs(page.get("events"))).containsExactly(1L);
    }

    @Test
    void appendFromAnotherThreadWakesTheWaiter() {
        String id = createSession("poll-woken");
        append(id, "{\"data\":0}");
        long start = System.nanoTime();
        CompletableFuture<TestHttp.Response> poll = longPoll(
                sessionPath(id) + "/events?after=1&type=wanted&waitMs=" + WAIT_MS);
        awaitWaitingPolls(1);
        // An event the poll does not match does not answer it (it would answer with an empty page).
        append(id, "{\"type\":\"unwanted\",\"data\":1}");
        CompletableFuture<JsonNode> appended = CompletableFuture
            .supplyAsync(() -> append(id, "{\"type\":\"wanted\",\"data\":{\"hello\":\"world\"}}"));
        TestHttp.Response response = poll.join();
        long elapsed = elapsedMs(start);
        JsonNode page = response.expect(200);
        assertThat(EventApiTests.seqs(page.get("events"))).containsExactly(3L);
        assertThat(page.get("events").get(0).get("data")).isEqualTo(TestHttp.parse("{\"hello\":\"world\"}"));
        assertThat(appended.join().get("seq").asLong()).isEqualTo(3);
        assertThat(elapsed).as("answered well before the %d ms wait", WAIT_MS).isLessThan(EARLY_MS);
    }

    @Test
    void deletingTheSessionAnswersNotFound() {
        String id = createSession("poll-deleted");
        long start = System.nanoTime();
        CompletableFuture<TestHttp.Response> poll = longPoll(sessionPath(id) + "/events?waitMs=" + WAIT_MS);
        awaitWaitingPolls(1);
        assertThat(this.http.delete(sessionPath(id)).status()).isEqualTo(204);
        poll.join().expectProblem(404, "SESSION_NOT_FOUND");
        assertThat(elapsedMs(start)).as("answered well before the %d ms wait", WAIT_MS).isLessThan(EARLY_MS);
    }

    @Test
    void feedPollAnswersEmptyAfterTheWait() {
        String nobody = uniqueId("feed-nobody");
        long latest = this.http.get(BASE + "/feed?limit=1").expect(200).get("latest").asLong();
        long start = System.nanoTime();
        JsonNode page = this.http.get(BASE + "/feed?after=" + latest + "&waitMs=400&sessionId=" + TestHttp.query(nobody))
            .expect(200);
        assertThat(elapsedMs(start)).isGreaterThanOrEqualTo(400).isLessThan(400 + SLACK_MS);
        assertThat(page.get("entries").size()).isZero();
        assertThat(page.get("reset").asBoolean()).isFalse();
    }

    @Test
    void feedPollIsWokenByAMatchingEntry() {
        String id = uniqueId("feed-woken");
        long latest = this.http.get(BASE + "/feed?limit=1").expect(200).get("latest").asLong();
        long start = System.nanoTime();
        CompletableFuture<TestHttp.Response> poll = longPoll(BASE + "/feed?after=" + latest
                + "&types=session.created&sessionId=" + TestHttp.query(id) + "&waitMs=" + WAIT_MS);
        awaitWaitingPolls(1);
        // Other sessions' changes do not answer it.
        createSession("feed-other");
        CompletableFuture.runAsync(() -> this.http.postJson(BASE, "{\"id\":\"" + id + "\"}").expect(201));
        JsonNode page = poll.join().expect(200);
        assertThat(elapsedMs(start)).as("answered well before the %d ms wait", WAIT_MS).isLessThan(EARLY_MS);
        assertThat(page.get("entries").size()).isEqualTo(1);
        JsonNode entry = page.get("entries").get(0);
        assertThat(entry.get("type").asString()).isEqualTo("session.created");
        assertThat(entry.get("sessionId").asString()).isEqualTo(id);
        assertThat(entry.get("session").get("id").asString()).isEqualTo(id);
        assertThat(entry.get("seq").asLong()).isGreaterThan(latest);
    }

    @Test
    void belowTheWindowAnswersAtOnceWithAReset() {
        String id = createSession("poll-reset");
        for (int i = 1; i <= 4; i++) {
            append(id, "{\"data\":" + i + "}");
        }
        this.http.delete(sessionPath(id) + "/events?before=4").expect(204);
        long start = System.nanoTime();
        JsonNode page = longPoll(sessionPath(id) + "/events?after=1&waitMs=" + WAIT_MS).join().expect(200);
        assertThat(elapsedMs(start)).as("answered well before the %d ms wait", WAIT_MS).isLessThan(EARLY_MS);
        assertThat(page.get("reset").asBoolean()).isTrue();
        assertThat(page.get("resetReason").asString()).isEqualTo("retention");
        assertThat(EventApiTests.seqs(page.get("events"))).containsExactly(4L);
    }

    @Test
    void waitersAreReleased() {
        // Polls of earlier tests end by their max-wait at the latest.
        await().atMost(Duration.ofMillis(MAX_WAIT_MS + 10_000)).until(() -> this.streams.waitingPolls() == 0);
        String id = createSession("poll-release");
        readEvents(id, "?waitMs=200");
        await().atMost(Duration.ofSeconds(10)).until(() -> this.streams.waitingPolls() == 0);
    }

    /** Sends a long-poll whose client waits longer than the poll may. */
    private CompletableFuture<TestHttp.Response> longPoll(String path) {
        return this.http.sendAsync(this.http.request(path).timeout(Duration.ofMillis(WAIT_MS + 10_000)).GET().build());
    }

    private void awaitWaitingPolls(int count) {
        await().atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(5))
            .until(() -> this.streams.waitingPolls() >= count);
    }

    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

}
