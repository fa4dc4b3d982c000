package io.mcpsession.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests that race each other over HTTP: one winner for a session id, one stored original for an event id
 * (SPEC §3.2), and no lost state write (SPEC §2).
 */
class ConcurrencyTests extends SharedContextTestSupport {

    private static final int THREADS = 8;

    private final ExecutorService executor = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stop() {
        this.executor.shutdownNow();
    }

    @Test
    void racingCreatesOfOneIdMakeOneSession() {
        String id = uniqueId("race-create");
        List<TestHttp.Response> responses = race((i) -> this.http.postJson(BASE, "{\"id\":\"" + id + "\"}"));
        assertThat(responses).filteredOn((r) -> r.status() == 201).hasSize(1);
        assertThat(responses).filteredOn((r) -> r.status() == 409).hasSize(THREADS - 1);
        responses.stream().filter((r) -> r.status() == 409).forEach((r) -> r.expectProblem(409, "SESSION_EXISTS"));
    }

    @Test
    void racingDuplicatesReturnOneOriginal() {
        String id = createSession("race-dup");
        List<TestHttp.Response> responses = race(
                (i) -> this.http.postJson(sessionPath(id) + "/events", "{\"id\":\"same\",\"data\":" + i + "}"));
        List<TestHttp.Response> created = responses.stream().filter((r) -> r.status() == 201).toList();
        assertThat(created).hasSize(1);
        assertThat(responses).filteredOn((r) -> r.status() == 200).hasSize(THREADS - 1);
        for (TestHttp.Response response : responses) {
            assertThat(response.body()).isEqualTo(created.get(0).body());
        }
        JsonNode page = readEvents(id, "");
        assertThat(page.get("latest").asLong()).isEqualTo(1);
        JsonNode feed = this.http.get(BASE + "/feed?types=event.appended&sessionId=" + TestHttp.query(id)).expect(200);
        assertThat(feed.get("entries").size()).as("a duplicate writes no feed entry").isEqualTo(1);
    }

    @Test
    void racingAppendsGetContiguousSeqs() {
        String id = createSession("race-seq");
        List<TestHttp.Response> responses = race(
                (i) -> this.http.postJson(sessionPath(id) + "/events", "[{\"data\":" + i + "},{\"data\":" + i + "}]"));
        List<Long> all = new ArrayList<>();
        for (TestHttp.Response response : responses) {
            List<Long> seqs = EventApiTests.seqs(response.expect(201));
            assertThat(seqs.get(1)).as("a batch is contiguous").isEqualTo(seqs.get(0) + 1);
            all.addAll(seqs);
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(EventApiTests.range(1, 2 * THREADS));
        assertThat(EventApiTests.seqs(readEvents(id, "").get("events")))
            .containsExactlyElementsOf(EventApiTests.range(1, 2 * THREADS));
    }

    @Test
    void racingStateWritesToDifferentKeysAreAllKept() {
        String id = createSession("race-state");
        race((i) -> {
            for (int k = 0; k < 20; k++) {
                this.http.putJson(sessionPath(id) + "/state/t" + i + "-k" + k, Integer.toString(k)).expect(204);
            }
            return null;
        });
        JsonNode state = this.http.get(sessionPath(id) + "/state").expect(200);
        assertThat(state.size()).isEqualTo(THREADS * 20);
        assertThat(state.get("t3-k7").asInt()).isEqualTo(7);
    }

    /** Runs {@code task} on every thread at once and returns the results in thread order. */
    private <T> List<T> race(IntFunction<T> task) {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<T>> futures = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            int index = i;
            futures.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await(10, TimeUnit.SECONDS);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                return task.apply(index);
            }, this.executor));
        }
        start.countDown();
        return futures.stream().map((future) -> future.orTimeout(30, TimeUnit.SECONDS).join()).toList();
    }

}
