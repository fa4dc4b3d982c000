package io.mcpsession.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.awaitility.core.TerminalFailureException;
import tools.jackson.databind.JsonNode;

import io.mcpsession.web.EventStreamParser.Comment;
import io.mcpsession.web.EventStreamParser.Event;
import io.mcpsession.web.EventStreamParser.Item;
import io.mcpsession.web.EventStreamParser.Retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replay-to-live handoff under load (SPEC §6 "Replay, then live, with no gap and no duplicate"), through one
 * or more instances of the application: writers append through the instances in turn (single events and
 * batches), and streams opened on the instances in turn while the appends run must each receive every seq after
 * their resume point exactly once, in order. Session streams and feed streams both take part.
 */
final class SseHandoffScenario implements AutoCloseable {

    static final int TOTAL = 500;

    private static final int WRITERS = 4;

    /** How long a phase of appends, or a stream's whole history, may take on a loaded machine. */
    private static final Duration PHASE = Duration.ofSeconds(60);

    /** The stream's next item: a keepalive comes every few hundred ms, so this only bounds a failing test. */
    private static final Duration ITEM_TIMEOUT = WebTestSupport.ITEM_TIMEOUT;

    private final List<TestHttp> instances;

    private final ExecutorService executor = Executors.newCachedThreadPool();

    private final List<SseConnection> connections = Collections.synchronizedList(new ArrayList<>());

    /** @param instances the applications sharing one store, each reached through its own client */
    SseHandoffScenario(List<TestHttp> instances) {
        this.instances = List.copyOf(instances);
    }

    /** The instance that the {@code n}-th writer, stream or control read goes through. */
    private TestHttp instance(int n) {
        return this.instances.get(n % this.instances.size());
    }

    void run() throws Exception {
        String id = WebTestSupport.uniqueId("handoff");
        instance(0).postJson(WebTestSupport.BASE, "{\"id\":\"" + id + "\"}").expect(201);
        String events = WebTestSupport.sessionPath(id) + "/events";
        Semaphore permits = new Semaphore(0);
        AtomicInteger claimed = new AtomicInteger();
        CountDownLatch first100 = new CountDownLatch(100);
        CountDownLatch first300 = new CountDownLatch(300);
        ConcurrentLinkedQueue<Long> assigned = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            // Half the writers post single events, half post batches of up to three; each instance gets both kinds.
            int maxBatch = (w % 2 == 0) ? 1 : 3;
            int writer = w;
            TestHttp http = instance(w / 2);
            writers.add(CompletableFuture.runAsync(() -> {
                try {
                    while (true) {
                        permits.acquire();
                        int count = 1;
                        while (count < maxBatch && permits.tryAcquire()) {
                            count++;
                        }
                        // Permits beyond TOTAL say "done"; a writer hands them back so that every writer sees one.
                        int usable = Math.max(0, Math.min(count, TOTAL - claimed.getAndAdd(count)));
                        if (usable > 0) {
                            assigned.addAll(post(http, events, writer, usable, maxBatch > 1));
                            for (int i = 0; i < usable; i++) {
                                first100.countDown();
                                first300.countDown();
                            }
                        }
                        if (usable < count) {
                            permits.release(count - usable);
                            return;
                        }
                    }
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }, this.executor));
        }

        // Phase 1: 100 appends, then 200 more race with the opening of five streams.
        permits.release(100);
        awaitAppends(first100, writers);
        String epoch = WebTestSupport.epochOf(instance(0).get(events + "/latest").expect(200));
        permits.release(200);
        List<CompletableFuture<List<Long>>> streams = new ArrayList<>();
        List<Long> resumePoints = new ArrayList<>();
        String path = events + "/stream";
        String feedPath = WebTestSupport.BASE + "/feed/stream?types=event.appended&sessionId=" + TestHttp.query(id);
        streams.add(collect(instance(0), path, 40, eventSeq(epoch), "Last-Event-ID", epoch + ":40"));
        resumePoints.add(40L);
        streams.add(collect(instance(1), path, 70, eventSeq(epoch), "Last-Event-ID", "70"));
        resumePoints.add(70L);
        streams.add(collect(instance(2), path + "?after=100", 100, eventSeq(epoch)));
        resumePoints.add(100L);
        streams.add(collect(instance(3), path, 0, eventSeq(epoch)));
        resumePoints.add(0L);
        streams.add(collect(instance(4), feedPath, 0, feedEventSeq(id)));
        resumePoints.add(0L);

        // Phase 2: at exactly 300, the last 200 appends race with the opening of four more.
        awaitAppends(first300, writers);
        assertThat(instance(1).get(events + "/latest").expect(200).get("latest").asLong()).isEqualTo(300);
        JsonNode feedEntry = feedEntryOfEvent(id, 150);
        // The surplus permits end the writers once TOTAL events are claimed.
        permits.release(TOTAL - 300 + WRITERS);
        streams.add(collect(instance(0), path, 290, eventSeq(epoch), "Last-Event-ID", epoch + ":290"));
        resumePoints.add(290L);
        streams.add(collect(instance(1), path + "?after=300", 300, eventSeq(epoch)));
        resumePoints.add(300L);
        streams.add(collect(instance(0), feedPath, 150, feedEventSeq(id), "Last-Event-ID",
                feedEntry.get("epoch").asString() + ":" + feedEntry.get("seq").asLong()));
        resumePoints.add(150L);
        streams.add(collect(instance(1), feedPath, 150, feedEventSeq(id), "Last-Event-ID",
                feedEntry.get("epoch").asString() + ":" + feedEntry.get("seq").asLong()));
        resumePoints.add(150L);

        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).orTimeout(PHASE.toSeconds(), TimeUnit.SECONDS)
            .join();
        List<Long> sortedAssigned = new ArrayList<>(assigned);
        Collections.sort(sortedAssigned);
        assertThat(sortedAssigned).as("every append got its own seq, 1..%d", TOTAL)
            .containsExactlyElementsOf(EventApiTests.range(1, TOTAL));

        for (int i = 0; i < streams.size(); i++) {
            List<Long> received = streams.get(i).orTimeout(PHASE.toSeconds(), TimeUnit.SECONDS).join();
            assertThat(received).as("stream %d (instance %d) resumed after %d", i, i % this.instances.size(),
                    resumePoints.get(i))
                .containsExactlyElementsOf(EventApiTests.range(resumePoints.get(i) + 1, TOTAL));
        }
    }

    /** Waits until {@code appended} reaches zero; a writer that fails ends the wait with its failure. */
    private static void awaitAppends(CountDownLatch appended, List<CompletableFuture<Void>> writers) {
        try {
            await().atMost(PHASE)
                .failFast("a writer failed", () -> writers.stream().anyMatch(CompletableFuture::isCompletedExceptionally))
                .until(() -> appended.getCount() == 0);
        }
        catch (TerminalFailureException ex) {
            // Shows the writer's own failure.
            writers.stream().filter(CompletableFuture::isCompletedExceptionally).findFirst().orElseThrow().join();
            throw ex;
        }
    }

    /** Appends {@code count} events of {@code writer} (as a batch when {@code batch}) and returns their seqs. */
    private static List<Long> post(TestHttp http, String path, int writer, int count, boolean batch) {
        StringBuilder body = new StringBuilder(batch ? "[" : "");
        for (int i = 0; i < count; i++) {
            body.append((i > 0) ? "," : "")
                .append("{\"type\":\"w").append(writer).append("\",\"data\":{\"writer\":").append(writer).append("}}");
        }
        body.append(batch ? "]" : "");
        JsonNode stored = http.postJson(path, body.toString()).expect(201);
        List<Long> seqs = stored.isArray() ? EventApiTests.seqs(stored) : List.of(stored.get("seq").asLong());
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("a batch is contiguous").isEqualTo(seqs.get(i - 1) + 1);
        }
        return seqs;
    }

    /** Opens a stream now and reads it on another thread until seq {@code TOTAL} and the next keepalive. */
    private CompletableFuture<List<Long>> collect(TestHttp http, String path, long resumePoint,
            Function<Event, Long> seqOf, String... headers) {
        SseConnection stream = http.stream(path, headers);
        this.connections.add(stream);
        assertThat(stream.status()).isEqualTo(200);
        return CompletableFuture.supplyAsync(() -> {
            List<Long> seqs = new ArrayList<>();
            assertThat(stream.next(ITEM_TIMEOUT)).isInstanceOf(Retry.class);
            boolean done = resumePoint >= TOTAL;
            int idle = 0;
            while (true) {
                Item item = stream.next(ITEM_TIMEOUT);
                if (item instanceof Comment) {
                    // After the last seq, the next keepalive shows that nothing (no duplicate) follows it.
                    if (done && ++idle >= ((resumePoint >= TOTAL) ? 3 : 1)) {
                        return seqs;
                    }
                    continue;
                }
                idle = 0;
                long seq = seqOf.apply((Event) item);
                seqs.add(seq);
                done = done || seq == TOTAL;
            }
        }, this.executor);
    }

    private static Function<Event, Long> eventSeq(String epoch) {
        return (event) -> {
            JsonNode data = TestHttp.parse(event.data());
            long seq = data.get("seq").asLong();
            assertThat(event.id()).isEqualTo(epoch + ":" + seq);
            assertThat(event.type()).startsWith("w");
            return seq;
        };
    }

    private static Function<Event, Long> feedEventSeq(String sessionId) {
        long[] lastFeedSeq = { 0 };
        return (event) -> {
            JsonNode entry = TestHttp.parse(event.data());
            assertThat(event.type()).isEqualTo("event.appended");
            assertThat(entry.get("sessionId").asString()).isEqualTo(sessionId);
            long feedSeq = entry.get("seq").asLong();
            assertThat(event.id()).isEqualTo(entry.get("epoch").asString() + ":" + feedSeq);
            assertThat(feedSeq).isGreaterThan(lastFeedSeq[0]);
            lastFeedSeq[0] = feedSeq;
            return entry.get("event").get("seq").asLong();
        };
    }

    /** The feed entry of event {@code seq}, once the store has numbered it (a sequencer may do so after the fact). */
    private JsonNode feedEntryOfEvent(String sessionId, long seq) {
        String path = WebTestSupport.BASE + "/feed?types=event.appended&limit=1000&sessionId="
                + TestHttp.query(sessionId);
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            for (JsonNode entry : instance(1).get(path).expect(200).get("entries")) {
                if (entry.get("event").get("seq").asLong() == seq) {
                    found[0] = entry;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    @Override
    public void close() {
        this.connections.forEach(SseConnection::close);
        this.executor.shutdownNow();
    }

}
