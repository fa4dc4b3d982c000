package io.mcpsession.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import io.mcpsession.web.EventStreamParser.Comment;
import io.mcpsession.web.EventStreamParser.Event;
import io.mcpsession.web.EventStreamParser.Item;
import io.mcpsession.web.EventStreamParser.Retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SSE streams of a session's log and of the feed (SPEC §6 "SSE framing"), read by a real streaming client.
 */
class SseStreamTests extends SharedContextTestSupport {

    @Autowired
    SessionStreams streams;

    @Test
    void headersAndRetryComeFirst() {
        String id = createSession("sse-headers");
        try (SseConnection stream = this.http.stream(sessionPath(id) + "/events/stream")) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
            assertThat(stream.header("Cache-Control")).isEqualTo("no-cache, no-transform");
            assertThat(stream.header("X-Accel-Buffering")).isEqualTo("no");
            Item first = stream.next(ITEM_TIMEOUT);
            assertThat(first).isEqualTo(new Retry(RETRY_MS));
        }
        try (SseConnection feed = this.http.stream(BASE + "/feed/stream?after=" + feedLatest())) {
            assertThat(feed.status()).isEqualTo(200);
            assertThat(feed.header("Content-Type")).startsWith("text/event-stream");
            assertThat(feed.header("Cache-Control")).isEqualTo("no-cache, no-transform");
            assertThat(feed.header("X-Accel-Buffering")).isEqualTo("no");
            assertThat(feed.next(ITEM_TIMEOUT)).isEqualTo(new Retry(RETRY_MS));
        }
    }

    @Test
    void eventsCarryCursorTypeAndOneLineJson() {
        String id = createSession("sse-frames");
        List<String> stored = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            TestHttp.Response response = this.http.postJson(sessionPath(id) + "/events",
                    "{\"type\":\"step-" + i + "\",\"data\":{\"i\":" + i + ",\"text\":\"line\\nbreak\"}}");
            response.expect(201);
            stored.add(response.body());
        }
        String epoch = epochOf(readEvents(id, ""));
        try (SseConnection stream = this.http.stream(sessionPath(id) + "/events/stream")) {
            assertThat(stream.next(ITEM_TIMEOUT)).isInstanceOf(Retry.class);
            for (int i = 1; i <= 3; i++) {
                Event event = stream.nextEvent(ITEM_TIMEOUT);
                assertThat(event.id()).isEqualTo(epoch + ":" + i);
                assertThat(event.lastEventId()).isEqualTo(epoch + ":" + i);
                assertThat(event.type()).isEqualTo("step-" + i);
                assertThat(event.data()).doesNotContain("\n").isEqualTo(stored.get(i - 1));
            }
            // Live after replay.
            TestHttp.Response live = this.http.postJson(sessionPath(id) + "/events", "{\"data\":\"live\"}");
            live.expect(201);
            Event event = stream.nextEvent(ITEM_TIMEOUT);
            assertThat(event.id()).isEqualTo(epoch + ":4");
            assertThat(event.type()).isEqualTo("message");
            assertThat(event.data()).isEqualTo(live.body());
        }
    }

    @Test
    void resumesFromLastEventIdTokenBareSeqOrAfter() {
        String id = createSession("sse-resume");
        for (int i = 1; i <= 6; i++) {
            append(id, "{\"data\":" + i + "}");
        }
        String epoch = epochOf(readEvents(id, ""));
        assertThat(replayedSeqs(id, 6, "", "Last-Event-ID", epoch + ":3")).containsExactly(4L, 5L, 6L);
        assertThat(replayedSeqs(id, 6, "", "Last-Event-ID", "4")).containsExactly(5L, 6L);
        assertThat(replayedSeqs(id, 6, "?after=2")).containsExactly(3L, 4L, 5L, 6L);
        assertThat(replayedSeqs(id, 6, "")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(replayedSeqs(id, 6, "", "Last-Event-ID", epoch + ":6")).isEmpty();
        // Last-Event-ID wins over ?after=.
        assertThat(replayedSeqs(id, 6, "?after=1", "Last-Event-ID", epoch + ":5")).containsExactly(6L);
    }

    @Test
    void ephemeralEventsHaveNoId() {
        String id = createSession("sse-ephemeral");
        JsonNode first = append(id, "{\"data\":\"persisted\"}");
        try (SseConnection stream = this.http.stream(sessionPath(id) + "/events/stream")) {
            Event persisted = stream.nextEvent(ITEM_TIMEOUT);
            assertThat(persisted.id()).isEqualTo(first.get("epoch").asString() + ":1");
            TestHttp.Response accepted = this.http.postJson(sessionPath(id) + "/events",
                    "{\"id\":\"tick-1\",\"type\":\"token\",\"data\":{\"t\":\"hel\"},\"runId\":\"r\",\"ephemeral\":true}");
            assertThat(accepted.status()).as(accepted.describe()).isEqualTo(202);
            Event ephemeral = stream.nextEvent(ITEM_TIMEOUT);
            assertThat(ephemeral.id()).as("no id: line").isNull();
            assertThat(ephemeral.lastEventId()).as("the resume point does not move").isEqualTo(persisted.id());
            assertThat(ephemeral.type()).isEqualTo("token");
            assertThat(ephemeral.data()).doesNotContain("\n");
            JsonNode data = TestHttp.parse(ephemeral.data());
            assertThat(data.get("sessionId").asString()).isEqualTo(id);
            assertThat(data.get("id").asString()).isEqualTo("tick-1");
            assertThat(data.get("data")).isEqualTo(TestHttp.parse("{\"t\":\"hel\"}"));
            assertThat(data.get("runId").asString()).isEqualTo("r");
            assertThat(data.has("seq")).isFalse();
            // The next persisted event is seq 2: the ephemeral took no seq.
            append(id, "{\"data\":\"after\"}");
            Event next = stream.nextEvent(ITEM_TIMEOUT);
            assertThat(next.id()).isEqualTo(first.get("epoch").asString() + ":2");
        }
    }

    @Test
    void keepalivesArriveWithTheConfiguredPeriod() {
        String id = createSession("sse-keepalive");
        int keepalives = 10;
        long opened = System.nanoTime();
        try (SseConnection stream = this.http.stream(sessionPath(id) + "/events/stream")) {
            assertThat(stream.next(ITEM_TIMEOUT)).isInstanceOf(Retry.class);
            long lastArrival = opened;
            for (int i = 0; i < keepalives; i++) {
                // Within ITEM_TIMEOUT (10 s) each: the 15 s default period would fail here.
                SseConnection.Timed timed = stream.nextTimed(ITEM_TIMEOUT);
                assertThat(timed.item()).as("only keepalives on an idle stream").isEqualTo(new Comment("keepalive"));
                lastArrival = timed.nanos();
            }
            long spanMs = (lastArrival - opened) / 1_000_000;
            // Ten periods of 200 ms take 2 s. Not a flood: the ticker runs at most once a period, so ten keepalives
            // cannot come within two periods of the stream's opening unless the ticker was seven periods late
            // just then (a scheduler catching up after a stall sends a few at once; a stall of the client only
            // makes them later). Not the 15 s default either, with seconds to spare on a loaded machine.
            assertThat(spanMs).isGreaterThanOrEqualTo(2 * KEEPALIVE_MS).isLessThan(keepalives * KEEPALIVE_MS + 10_000);
            // A keepalive never moves the resume point; events still flow.
            JsonNode appended = append(id, "{\"data\":1}");
            Event event = stream.nextEvent(ITEM_TIMEOUT);
            assertThat(event.id()).isEqualTo(appended.get("epoch").asString() + ":1");
        }
    }

    @Test
    void resetForACursorBelowRetention() {
        String id = createSession("sse-retention");
        for (int i = 1; i <= 10; i++) {
            append(id, "{\"data\":" + i + "}");
        }
        this.http.delete(sessionPath(id) + "/events?before=6").expect(204);
        String epoch = epochOf(readEvents(id, "?after=5"));
        try (SseConnection stream = this.http.stream(sessionPath(id) + "/events/stream", "Last-Event-ID",
                epoch + ":2")) {
            Event reset = stream.nextEvent(ITEM_TIMEOUT);
            assertThat(reset.type()).isEqualTo("reset");
            assertThat(reset.id()).isEqualTo(epoch + ":5");
            assertThat(reset.data()).isEqualTo("{\"reason\":\"retention\",\"earliestRetained\":6,\"latest\":10,\"epoch\":\""
                    + epoch + "\"}");
            for (long seq = 6; seq <= 10; seq++) {
                assertThat(stream.nextEvent(ITEM_TIMEOUT).id()).isEqualTo(epoch + ":" + seq);
            }
            append(id, "{\"data\":11}");
            assertThat(stream.nextEvent(ITEM_TIMEOUT).id()).isEqualTo(epoch + ":11");
        }
        // A cursor at the edge of the window is no reset.
        assertThat(replayedSeqs(id, 11, "?after=5")).containsExactly(6L, 7L, 8L, 9L, 10L, 11L);
    }

    @Test
    void resetForAnotherEpoch() {
        String id = createSession("sse-epoch");
        for (int i = 1; i <= 3; i++) {
            append(id, "{\"data\":" + i + "}");
        }
        String epoch = epochOf(readEvents(id, ""));
        try (SseConnection stream = this.http.stream(sessionPath(id) + "/events/stream", "Last-Event-ID",
                "otherepoch:2")) {
            Event reset = stream.nextEvent(ITEM_TIMEOUT);
            assertThat(reset.type()).isEqualTo("reset");
            assertThat(reset.id()).isEqualTo(epoch + ":0");
            JsonNode data = TestHttp.parse(reset.data());
            assertThat(data.get("reason").asString()).isEqualTo("epoch");
            assertThat(data.get("earliestRetained").asLong()).isEqualTo(1);
            assertThat(data.get("latest").asLong()).isEqualTo(3);
            assertThat(data.get("epoch").asString()).isEqualTo(epoch);
            for (long seq = 1; seq <= 3; seq++) {
                assertThat(stream.nextEvent(ITEM_TIMEOUT).id()).isEqualTo(epoch + ":" + seq);
            }
        }
    }

    @Test
    void deletingTheSessionClosesTheStream() {
        String id = createSession("sse-closed");
        JsonNode appended = append(id, "{\"data\":1}");
        try (SseConnection stream = this.http.stream(sessionPath(id) + "/events/stream")) {
            Event event = stream.nextEvent(ITEM_TIMEOUT);
            assertThat(event.id()).isEqualTo(appended.get("epoch").asString() + ":1");
            assertThat(this.http.delete(sessionPath(id)).status()).isEqualTo(204);
            Event closed = stream.nextEvent(ITEM_TIMEOUT);
            assertThat(closed.type()).isEqualTo("session.closed");
            assertThat(closed.id()).as("no id: line").isNull();
            assertThat(closed.data()).isEqualTo("{\"sessionId\":\"" + id + "\",\"reason\":\"deleted\"}");
            List<Item> rest = stream.itemsUntilEnd(ITEM_TIMEOUT);
            assertThat(rest).noneMatch((item) -> item instanceof Event);
        }
    }

    @Test
    void aClientThatLeavesFreesItsStream() {
        await().atMost(Duration.ofSeconds(10)).until(() -> this.streams.activeStreams() == 0);
        String id = createSession("sse-leave");
        SseConnection stream = this.http.stream(sessionPath(id) + "/events/stream");
        assertThat(stream.next(ITEM_TIMEOUT)).isInstanceOf(Retry.class);
        assertThat(this.streams.activeStreams()).isEqualTo(1);
        stream.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> this.streams.activeStreams() == 0);
    }

    @Test
    void dataRoundTripsVerbatimOnTheStream() {
        String id = createSession("sse-verbatim");
        String data = "{\"z\":1.10,\"a\":12345678901234567890,\"u\":\"h\u00e9llo \\u00e9 \ud83d\ude00\"}";
        this.http.postJson(sessionPath(id) + "/events", "{\"data\":" + data + "}").expect(201);
        try (SseConnection stream = this.http.stream(sessionPath(id) + "/events/stream")) {
            Event event = stream.nextEvent(ITEM_TIMEOUT);
            assertThat(event.data()).contains("\"data\":" + data + ",");
        }
    }

    @Test
    void feedStreamFiltersByTypeAndSession() {
        String id = uniqueId("sse-feed");
        String other = createSession("sse-feed-other");
        try (SseConnection feed = this.http.stream(BASE + "/feed/stream?types="
                + TestHttp.query("session.created,session.deleted") + "&sessionId=" + TestHttp.query(id))) {
            assertThat(feed.next(ITEM_TIMEOUT)).isInstanceOf(Retry.class);
            this.http.postJson(BASE, "{\"id\":\"" + id + "\"}").expect(201);
            append(id, "{\"data\":1}");
            append(other, "{\"data\":1}");
            this.http.delete(sessionPath(other)).expect(204);
            this.http.delete(sessionPath(id)).expect(204);
            Event created = feed.nextEvent(ITEM_TIMEOUT);
            Event deleted = feed.nextEvent(ITEM_TIMEOUT);
            assertThat(created.type()).isEqualTo("session.created");
            assertThat(deleted.type()).isEqualTo("session.deleted");
            JsonNode createdEntry = TestHttp.parse(created.data());
            JsonNode deletedEntry = TestHttp.parse(deleted.data());
            assertThat(createdEntry.get("sessionId").asString()).isEqualTo(id);
            assertThat(createdEntry.get("session").get("id").asString()).isEqualTo(id);
            assertThat(deletedEntry.get("sessionId").asString()).isEqualTo(id);
            assertThat(deletedEntry.has("session")).isFalse();
            assertThat(created.id()).isEqualTo(epochOf(createdEntry) + ":" + createdEntry.get("seq").asLong());
            assertThat(deleted.id()).isEqualTo(epochOf(deletedEntry) + ":" + deletedEntry.get("seq").asLong());
            assertThat(deletedEntry.get("seq").asLong()).isGreaterThan(createdEntry.get("seq").asLong());

            // Resuming from the first entry's id yields the second only.
            try (SseConnection resumed = this.http.stream(BASE + "/feed/stream?types="
                    + TestHttp.query("session.created,session.deleted") + "&sessionId=" + TestHttp.query(id),
                    "Last-Event-ID", created.id())) {
                Event next = resumed.nextEvent(ITEM_TIMEOUT);
                assertThat(next.id()).isEqualTo(deleted.id());
                // Nothing else follows: the next item is a keepalive.
                assertThat(resumed.nextComment(ITEM_TIMEOUT)).isEqualTo(new Comment("keepalive"));
            }
            // Nothing else arrived on the first stream either.
            assertThat(feed.nextComment(ITEM_TIMEOUT)).isEqualTo(new Comment("keepalive"));
        }
    }

    @Test
    void feedJsonReadsFilterAndResume() {
        String id = createSession("feed-json");
        append(id, "{\"data\":1}");
        append(id, "{\"data\":2}");
        JsonNode page = this.http.get(BASE + "/feed?sessionId=" + TestHttp.query(id)).expect(200);
        assertThat(page.get("entries").size()).isEqualTo(3);
        assertThat(page.get("reset").asBoolean()).isFalse();
        JsonNode appended = page.get("entries").get(1);
        assertThat(appended.get("type").asString()).isEqualTo("event.appended");
        assertThat(appended.get("event").get("seq").asLong()).isEqualTo(1);
        assertThat(appended.get("event").get("sessionId").asString()).isEqualTo(id);
        assertThat(appended.has("session")).isFalse();
        long afterFirst = page.get("entries").get(0).get("seq").asLong();
        JsonNode resumed = this.http.get(BASE + "/feed?limit=1&types=event.appended&sessionId=" + TestHttp.query(id)
                + "&after=" + afterFirst).expect(200);
        assertThat(resumed.get("entries").size()).isEqualTo(1);
        assertThat(resumed.get("nextCursor").asLong()).isEqualTo(appended.get("seq").asLong());
        JsonNode reset = this.http.get(BASE + "/feed?limit=1&epoch=elsewhere").expect(200);
        assertThat(reset.get("reset").asBoolean()).isTrue();
        assertThat(reset.get("resetReason").asString()).isEqualTo("epoch");
    }

    private long feedLatest() {
        return this.http.get(BASE + "/feed?limit=1").expect(200).get("latest").asLong();
    }

    /**
     * The seqs a stream replays up to {@code last}, checking that nothing follows them before the stream goes
     * idle (a keepalive). With nothing to replay ({@code last} is the resume point), it waits for three
     * keepalives in a row.
     */
    private List<Long> replayedSeqs(String id, long last, String query, String... headers) {
        List<Long> seqs = new ArrayList<>();
        try (SseConnection stream = this.http.stream(sessionPath(id) + "/events/stream" + query, headers)) {
            assertThat(stream.next(ITEM_TIMEOUT)).isInstanceOf(Retry.class);
            int idle = 0;
            boolean reachedLast = false;
            while (true) {
                Item item = stream.next(ITEM_TIMEOUT);
                if (item instanceof Comment) {
                    idle++;
                    if (reachedLast || idle == 3) {
                        return seqs;
                    }
                    continue;
                }
                idle = 0;
                Event event = (Event) item;
                JsonNode data = TestHttp.parse(event.data());
                assertThat(event.id()).isEqualTo(data.get("epoch").asString() + ":" + data.get("seq").asLong());
                seqs.add(data.get("seq").asLong());
                reachedLast = reachedLast || data.get("seq").asLong() == last;
            }
        }
    }

}
