package io.mcpsession.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.mcpsession.web.EventStreamParser.Event;
import io.mcpsession.web.EventStreamParser.Retry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention by count ({@code events.max-per-session=5}, evict-oldest; {@code feed.max-entries=5}) and the gap
 * contract over HTTP (SPEC §3.5, §3.7, §4).
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "mcp.session.events.max-per-session=5", "mcp.session.feed.max-entries=5",
                "mcp.session.sse.keepalive=200ms",
                "mcp.session.long-poll.max-wait=30s" })
class RetentionTests extends WebTestSupport {

    @Test
    void oldestAreEvictedAndReadersBelowTheWindowReset() {
        String id = createSession("retention");
        for (int i = 1; i <= 10; i++) {
            append(id, "{\"id\":\"e" + i + "\",\"data\":" + i + "}");
        }
        JsonNode latest = this.http.get(sessionPath(id) + "/events/latest").expect(200);
        assertThat(latest.get("latest").asLong()).isEqualTo(10);
        assertThat(latest.get("earliestRetained").asLong()).isEqualTo(6);

        JsonNode page = readEvents(id, "?after=2");
        assertThat(page.get("reset").asBoolean()).isTrue();
        assertThat(page.get("resetReason").asString()).isEqualTo("retention");
        assertThat(EventApiTests.seqs(page.get("events"))).containsExactly(6L, 7L, 8L, 9L, 10L);
        assertThat(page.get("earliestRetained").asLong()).isEqualTo(6);
        assertThat(page.get("latest").asLong()).isEqualTo(10);
        assertThat(page.get("nextCursor").asLong()).isEqualTo(10);

        page = readEvents(id, "?after=5");
        assertThat(page.get("reset").asBoolean()).isFalse();
        assertThat(page.has("resetReason")).isFalse();
        assertThat(EventApiTests.seqs(page.get("events"))).containsExactly(6L, 7L, 8L, 9L, 10L);

        page = readEvents(id, "?after=1&limit=2");
        assertThat(page.get("reset").asBoolean()).isTrue();
        assertThat(EventApiTests.seqs(page.get("events"))).containsExactly(6L, 7L);
        assertThat(page.get("nextCursor").asLong()).isEqualTo(7);
    }

    @Test
    void anEvictedIdAppendsANewEvent() {
        String id = createSession("retention-ids");
        for (int i = 1; i <= 6; i++) {
            append(id, "{\"id\":\"e" + i + "\",\"data\":" + i + "}");
        }
        // e1 was evicted: its id is free again. e4 is retained: still a duplicate.
        JsonNode again = this.http.postJson(sessionPath(id) + "/events", "{\"id\":\"e1\",\"data\":\"new\"}")
            .expect(201);
        assertThat(again.get("seq").asLong()).isEqualTo(7);
        JsonNode duplicate = this.http.postJson(sessionPath(id) + "/events", "{\"id\":\"e4\",\"data\":\"new\"}")
            .expect(200);
        assertThat(duplicate.get("seq").asLong()).isEqualTo(4);
        assertThat(duplicate.get("data").asInt()).isEqualTo(4);
    }

    @Test
    void streamBelowTheWindowStartsWithAReset() {
        String id = createSession("retention-sse");
        for (int i = 1; i <= 8; i++) {
            append(id, "{\"data\":" + i + "}");
        }
        String epoch = epochOf(readEvents(id, "?after=7"));
        try (SseConnection stream = this.http.stream(sessionPath(id) + "/events/stream?after=1")) {
            assertThat(stream.next(ITEM_TIMEOUT)).isInstanceOf(Retry.class);
            Event reset = stream.nextEvent(ITEM_TIMEOUT);
            assertThat(reset.type()).isEqualTo("reset");
            assertThat(reset.id()).isEqualTo(epoch + ":3");
            assertThat(reset.data())
                .isEqualTo("{\"reason\":\"retention\",\"earliestRetained\":4,\"latest\":8,\"epoch\":\"" + epoch + "\"}");
            for (long seq = 4; seq <= 8; seq++) {
                Event event = stream.nextEvent(ITEM_TIMEOUT);
                assertThat(event.id()).isEqualTo(epoch + ":" + seq);
            }
            // Live appends keep evicting; a connected reader keeps up without a reset.
            for (int i = 9; i <= 15; i++) {
                append(id, "{\"data\":" + i + "}");
            }
            for (long seq = 9; seq <= 15; seq++) {
                Event event = stream.nextEvent(ITEM_TIMEOUT);
                assertThat(event.type()).isEqualTo("message");
                assertThat(event.id()).isEqualTo(epoch + ":" + seq);
            }
        }
    }

    @Test
    void longPollBelowTheWindowAnswersAtOnce() {
        String id = createSession("retention-poll");
        for (int i = 1; i <= 7; i++) {
            append(id, "{\"data\":" + i + "}");
        }
        long start = System.nanoTime();
        // A 20 s wait: answered at its end, the page would be the same, so only the time tells, with seconds to
        // spare on a loaded machine.
        JsonNode page = this.http.send(this.http.request(sessionPath(id) + "/events?after=0&waitMs=20000")
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build()).expect(200);
        assertThat((System.nanoTime() - start) / 1_000_000).as("answered well before the 20 s wait")
            .isLessThan(10_000);
        assertThat(page.get("reset").asBoolean()).isTrue();
        assertThat(page.get("resetReason").asString()).isEqualTo("retention");
        assertThat(EventApiTests.seqs(page.get("events"))).containsExactly(3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void feedBelowTheWindowResets() {
        String id = createSession("retention-feed");
        for (int i = 1; i <= 10; i++) {
            append(id, "{\"data\":" + i + "}");
        }
        JsonNode page = this.http.get(BASE + "/feed?after=0").expect(200);
        long latest = page.get("latest").asLong();
        assertThat(page.get("reset").asBoolean()).isTrue();
        assertThat(page.get("resetReason").asString()).isEqualTo("retention");
        assertThat(page.get("earliestRetained").asLong()).isEqualTo(latest - 4);
        assertThat(page.get("entries").size()).isEqualTo(5);
        assertThat(page.get("entries").get(0).get("seq").asLong()).isEqualTo(latest - 4);
        assertThat(page.get("nextCursor").asLong()).isEqualTo(latest);
        String epoch = epochOf(page);

        try (SseConnection feed = this.http.stream(BASE + "/feed/stream?after=1")) {
            assertThat(feed.next(ITEM_TIMEOUT)).isInstanceOf(Retry.class);
            Event reset = feed.nextEvent(ITEM_TIMEOUT);
            assertThat(reset.type()).isEqualTo("reset");
            assertThat(reset.id()).isEqualTo(epoch + ":" + (latest - 5));
            assertThat(reset.data()).isEqualTo("{\"reason\":\"retention\",\"earliestRetained\":" + (latest - 4)
                    + ",\"latest\":" + latest + ",\"epoch\":\"" + epoch + "\"}");
            for (long seq = latest - 4; seq <= latest; seq++) {
                Event entry = feed.nextEvent(ITEM_TIMEOUT);
                assertThat(entry.type()).isEqualTo("event.appended");
                assertThat(entry.id()).isEqualTo(epoch + ":" + seq);
            }
        }
    }

}
