package io.mcpsession.web;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import io.mcpsession.web.EventStreamParser.Comment;
import io.mcpsession.web.EventStreamParser.Event;
import io.mcpsession.web.EventStreamParser.Item;
import io.mcpsession.web.EventStreamParser.Retry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay-to-live handoff (SPEC §6 "Replay, then live, with no gap and no duplicate"): streams opened while
 * several threads append receive every seq after their resume point exactly once, in order.
 */
class SseHandoffTests extends SharedContextTestSupport {

    private static final int TOTAL = 500;

    private static final int WRITERS = 4;

    private final ExecutorService executor = Executors.newCachedThreadPool();

    private final List<SseConnection> connections = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void closeEverything() {
        this.connections.forEach(SseConnection::close);
        this.executor.shutdownNow();
    }

    @Test
    void streamsOpenedMidFlightSeeEverySeqOnceInOrder() throws Exception {
        String id = createSession("handoff");
        Semaphore permits = new Semaphore(0);
        AtomicInteger acquired = new AtomicInteger();
        CountDownLatch first100 = new CountDownLatch(100);
        CountDownLatch first300 = new CountDownLatch(300);
        ConcurrentLinkedQueue<Long> assigned = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            // Half the writers post single events, half post batches of up to three.
            int maxBatch = (w % 2 == 0) ? 1 : 3;
            int writer = w;
            writers.add(CompletableFuture.runAsync(() -> {
                try {
                    while (acquired.get() < TOTAL) {
                        if (!permits.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                        int count = 1;
                        while (count < maxBatch && permits.tryAcquire()) {
                            count++;
                        }
                        acquired.addAndGet(count);
                        StringBuilder body = new StringBuilder((maxBatch > 1) ? "[" : "");
                        for (int i = 0; i < count; i++) {
                            body.append((i > 0) ? "," : "")
                                .append("{\"type\":\"w").append(writer).append("\",\"data\":{\"writer\":")
                                .append(writer).append("}}");
                        }
                        body.append((maxBatch > 1) ? "]" : "");
                        JsonNode stored = this.http.postJson(sessionPath(id) + "/events", body.toString()).expect(201);
                        List<Long> seqs = stored.isArray() ? EventApiTests.seqs(stored)
                                : List.of(stored.get("seq").asLong());
                        for (int i = 1; i < seqs.size(); i++) {
                            assertThat(seqs.get(i)).as("a batch is contiguous").isEqualTo(seqs.get(i - 1) + 1);
                        }
                        assigned.addAll(seqs);
                        for (int i = 0; i < count; i++) {
                            first100.countDown();
                            first300.countDown();
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
        assertThat(first100.await(30, TimeUnit.SECONDS)).isTrue();
        String epoch = epochOf(this.http.get(sessionPath(id) + "/events/latest").expect(200));
        permits.release(200);
        List<CompletableFuture<List<Long>>> streams = new ArrayList<>();
        List<Long> resumePoints = new ArrayList<>();
        String path = sessionPath(id) + "/events/stream";
        String feedPath = BASE + "/feed/stream?types=event.appended&sessionId=" + TestHttp.query(id);
        streams.add(collect(path, 40, eventSeq(epoch), "Last-Event-ID", epoch + ":40"));
        resumePoints.add(40L);
        streams.add(collect(path, 70, eventSeq(epoch), "Last-Event-ID", "70"));
        resumePoints.add(70L);
        streams.add(collect(path + "?after=100", 100, eventSeq(epoch)));
        resumePoints.add(100L);
        streams.add(collect(path, 0, eventSeq(epoch)));
        resumePoints.add(0L);
        streams.add(collect(feedPath, 0, feedEventSeq(id)));
        resumePoints.add(0L);

        // Phase 2: at exactly 300, the last 200 appends race with the opening of three more.
        assertThat(first300.await(30, TimeUnit.SECONDS)).isTrue();
        long latest = this.http.get(sessionPath(id) + "/events/latest").expect(200).get("latest").asLong();
        assertThat(latest).isEqualTo(300);
        JsonNode feedEntry = feedEntryOfEvent(id, 150);
        permits.release(TOTAL - 300);
        streams.add(collect(path, 290, eventSeq(epoch), "Last-Event-ID", epoch + ":290"));
        resumePoints.add(290L);
        streams.add(collect(path + "?after=300", 300, eventSeq(epoch)));
        resumePoints.add(300L);
        streams.add(collect(feedPath, 150, feedEventSeq(id), "Last-Event-ID",
                feedEntry.get("epoch").asString() + ":" + feedEntry.get("seq").asLong()));
        resumePoints.add(150L);

        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).orTimeout(60, TimeUnit.SECONDS).join();
        List<Long> sortedAssigned = new ArrayList<>(assigned);
        Collections.sort(sortedAssigned);
        assertThat(sortedAssigned).as("every append got its own seq, 1..%d", TOTAL)
            .containsExactlyElementsOf(EventApiTests.range(1, TOTAL));

        for (int i = 0; i < streams.size(); i++) {
            List<Long> received = streams.get(i).orTimeout(60, TimeUnit.SECONDS).join();
            assertThat(received).as("stream %d resumed after %d", i, resumePoints.get(i))
                .containsExactlyElementsOf(EventApiTests.range(resumePoints.get(i) + 1, TOTAL));
        }
    }

    /** Opens a stream now and reads it on another thread until seq {@code TOTAL} and the next keepalive. */
    private CompletableFuture<List<Long>> collect(String path, long resumePoint, Function<Event, Long> seqOf,
            String... headers) {
        SseConnection stream = this.http.stream(path, headers);
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

    private JsonNode feedEntryOfEvent(String sessionId, long seq) {
        JsonNode page = this.http.get(BASE + "/feed?types=event.appended&limit=1000&sessionId="
                + TestHttp.query(sessionId)).expect(200);
        for (JsonNode entry : page.get("entries")) {
            if (entry.get("event").get("seq").asLong() == seq) {
                return entry;
            }
        }
        throw new AssertionError("No feed entry for event " + seq + " in " + Map.of("page", page));
    }

}
