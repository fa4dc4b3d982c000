package io.mcpsession.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Quotas and fairness over HTTP (SPEC §8): streams per session, streams per instance and waiting long-polls are capped with a 429 of
 * their own; an append re-reads only for the waiters its events reach.
 */
@SpringBootTest(classes = { WebTestApplication.class, QuotaTests.Meters.class },
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "mcp.session.sse.keepalive=" + WebTestSupport.KEEPALIVE_MS + "ms",
                "mcp.session.long-poll.max-wait=" + WebTestSupport.MAX_WAIT_MS + "ms",
                "mcp.session.sse.max-streams-per-session=2", "mcp.session.sse.max-streams=3",
                "mcp.session.long-poll.max-waiting=20" })
class QuotaTests extends WebTestSupport {

    @Autowired
    SessionStreams streams;

    @Autowired
    MeterRegistry meters;

    @Test
    void aSessionHasAtMostMaxStreamsPerSessionOpenStreams() {
        String id = createSession("quota-streams");
        String other = createSession("quota-streams-other");
        String path = sessionPath(id) + "/events/stream";
        try (SseConnection first = this.http.stream(path); SseConnection second = this.http.stream(path)) {
            assertThat(first.status()).isEqualTo(200);
            assertThat(second.status()).isEqualTo(200);
            this.http.get(path, "Accept", "text/event-stream").expectProblem(429, "TOO_MANY_STREAMS");
            try (SseConnection elsewhere = this.http.stream(sessionPath(other) + "/events/stream")) {
                assertThat(elsewhere.status()).as("another session has streams of its own").isEqualTo(200);
            }
            first.close();
            // The server notices the closed stream at its next keepalive; then a stream opens again.
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                try (SseConnection again = this.http.stream(path)) {
                    assertThat(again.status()).isEqualTo(200);
                }
            });
        }
    }

    @BeforeEach
    void streamsOfAnotherTestHaveEnded() {
        // A closed stream ends at its next keepalive; it would count against this test's quota until then.
        await().atMost(Duration.ofSeconds(20)).until(() -> this.streams.activeStreams() == 0);
    }

    @Test
    void anInstanceHasAtMostMaxStreamsOpenStreamsOfAllSessionsAndTheFeed() {
        List<SseConnection> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(this.http.stream(sessionPath(createSession("quota-instance-" + i)) + "/events/stream"));
                assertThat(open.get(i).status()).isEqualTo(200);
            }
            String path = sessionPath(createSession("quota-instance-3")) + "/events/stream";
            this.http.get(path, "Accept", "text/event-stream").expectProblem(429, "TOO_MANY_STREAMS");
            this.http.get(BASE + "/feed/stream", "Accept", "text/event-stream").expectProblem(429, "TOO_MANY_STREAMS");
            open.remove(0).close();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                try (SseConnection again = this.http.stream(path)) {
                    assertThat(again.status()).isEqualTo(200);
                }
            });
        }
        finally {
            open.forEach(SseConnection::close);
        }
    }

    @Test
    void longPollsBeyondMaxWaitingAreRefusedAndTheOthersStillAnswer() {
        String id = createSession("quota-waiters");
        int room = 20 - this.streams.waitingPolls();
        List<CompletableFuture<TestHttp.Response>> polls = new ArrayList<>();
        for (int i = 0; i < room; i++) {
            polls.add(longPoll(sessionPath(id) + "/events?after=0&waitMs=" + MAX_WAIT_MS));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> this.streams.waitingPolls() == 20);

        this.http.get(sessionPath(id) + "/events?after=0&waitMs=" + MAX_WAIT_MS)
            .expectProblem(429, "TOO_MANY_WAITERS");
        // A read that does not wait is never refused.
        readEvents(id, "?after=0");
        append(id, "{\"data\":\"wake up\"}");
        for (CompletableFuture<TestHttp.Response> poll : polls) {
            assertThat(EventApiTests.seqs(poll.join().expect(200).get("events"))).containsExactly(1L);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> this.streams.waitingPolls() == 0);
        assertThat(longPoll(sessionPath(id) + "/events?after=0&waitMs=" + MAX_WAIT_MS).join().expect(200)
            .get("events")).hasSize(1);
    }

    @Test
    void anAppendReReadsOnlyForTheWaitersItReaches() {
        String id = createSession("quota-reach");
        int parked = 10;
        List<CompletableFuture<TestHttp.Response>> above = new ArrayList<>();
        double readsBefore = reads();
        for (int i = 0; i < parked; i++) {
            above.add(longPoll(sessionPath(id) + "/events?after=1000&waitMs=" + MAX_WAIT_MS));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> reads() == readsBefore + parked);

        for (int seq = 1; seq <= 5; seq++) {
            // A waiter whose cursor the append reaches (after = seq - 1) answers; it read twice.
            CompletableFuture<TestHttp.Response> reached = longPoll(
                    sessionPath(id) + "/events?after=" + (seq - 1) + "&waitMs=" + MAX_WAIT_MS);
            double expected = readsBefore + parked + (seq - 1) * 2 + 1;
            await().atMost(Duration.ofSeconds(20)).until(() -> reads() == expected);
            append(id, "{\"data\":" + seq + "}");
            assertThat(EventApiTests.seqs(reached.join().expect(200).get("events"))).containsExactly((long) seq);
        }
        assertThat(reads()).as("the waiters above latest were never read again")
            .isEqualTo(readsBefore + parked + 5 * 2);
        assertThat(above).noneMatch(CompletableFuture::isDone);
        this.http.delete(sessionPath(id)).expect(204);
        for (CompletableFuture<TestHttp.Response> poll : above) {
            poll.join().expectProblem(404, "SESSION_NOT_FOUND");
        }
    }

    private CompletableFuture<TestHttp.Response> longPoll(String path) {
        return this.http.sendAsync(
                this.http.request(path).timeout(Duration.ofMillis(MAX_WAIT_MS + 10_000)).GET().build());
    }

    /** Reads of event logs the store has served. */
    private double reads() {
        return this.meters.get("mcp.session.store").tag("operation", "read").timer().count();
    }

    @Configuration(proxyBeanMethods = false)
    static class Meters {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        /** Store calls as timers tagged with their operation, so that the test counts reads. */
        @Bean
        ObservationRegistry observationRegistry(SimpleMeterRegistry meterRegistry) {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meterRegistry));
            return registry;
        }

    }

}
