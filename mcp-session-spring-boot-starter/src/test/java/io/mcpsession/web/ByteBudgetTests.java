package io.mcpsession.web;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.mcpsession.web.EventStreamParser.Event;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte budgets and bounds over HTTP (SPEC §8): with {@code max-page-bytes} set small, pages of events, the feed,
 * sessions and state stop at it as well as at {@code limit} and say where to continue; streams still deliver
 * everything; session metadata and capabilities are bounded; a session holds at most {@code state.max-keys}. The
 * finding ("320 events of 1 MB and {@code limit=1000} end in OutOfMemoryError") is the same read with a budget
 * of a thousand bytes instead of a heap's worth of data.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "mcp.session.web.max-page-bytes=1000B", "mcp.session.state.max-keys=5",
                "mcp.session.events.max-event-bytes=2000B" })
class ByteBudgetTests extends WebTestSupport {

    /** Three events of 302 bytes (data and {@code {}} metadata) fit the budget of 1000; a fourth does not. */
    private static final String EVENT_302 = "{\"data\":" + jsonString(300) + "}";

    @Test
    void aReadWithLimit1000StopsAtTheBudgetAndSaysWhereToContinue() {
        String id = createSession("budget-events");
        for (int i = 0; i < 8; i++) {
            append(id, EVENT_302);
        }

        JsonNode first = readEvents(id, "?limit=1000");
        assertThat(EventApiTests.seqs(first.get("events"))).containsExactly(1L, 2L, 3L);
        assertThat(first.get("nextCursor").asLong()).isEqualTo(3);
        assertThat(first.get("latest").asLong()).isEqualTo(8);
        List<Long> all = new ArrayList<>(EventApiTests.seqs(first.get("events")));
        long after = first.get("nextCursor").asLong();
        while (after < 8) {
            JsonNode page = readEvents(id, "?limit=1000&after=" + after);
            assertThat(page.get("events").size()).isBetween(1, 3);
            all.addAll(EventApiTests.seqs(page.get("events")));
            after = page.get("nextCursor").asLong();
        }
        assertThat(all).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }

    @Test
    void anEventLargerThanTheBudgetComesAlone() {
        String id = createSession("budget-large");
        append(id, "{\"data\":" + jsonString(1500) + "}");
        append(id, "{\"data\":1}");

        JsonNode first = readEvents(id, "?limit=1000");
        assertThat(EventApiTests.seqs(first.get("events"))).containsExactly(1L);
        assertThat(first.get("nextCursor").asLong()).isEqualTo(1);
        assertThat(EventApiTests.seqs(readEvents(id, "?after=1").get("events"))).containsExactly(2L);
    }

    @Test
    void aFeedReadWithLimit1000StopsAtTheBudget() {
        String id = createSession("budget-feed");
        for (int i = 0; i < 6; i++) {
            append(id, EVENT_302);
        }
        String query = BASE + "/feed?limit=1000&types=event.appended&sessionId=" + TestHttp.query(id);

        JsonNode first = this.http.get(query).expect(200);
        assertThat(first.get("entries").size()).isBetween(1, 3);
        List<Long> seqs = new ArrayList<>();
        long after = 0;
        JsonNode page = first;
        while (!page.get("entries").isEmpty()) {
            page.get("entries").forEach((entry) -> seqs.add(entry.get("event").get("seq").asLong()));
            assertThat(page.get("nextCursor").asLong()).isGreaterThan(after);
            after = page.get("nextCursor").asLong();
            page = this.http.get(query + "&after=" + after).expect(200);
        }
        assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    @Test
    void aSessionListStopsAtTheBudget() {
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = uniqueId("budget-list");
            this.http.postJson(BASE, "{\"id\":\"" + id + "\",\"metadata\":{\"m\":" + jsonString(296) + "}}")
                .expect(201);
            mine.add(id);
        }

        List<String> listed = new ArrayList<>();
        String after = null;
        do {
            JsonNode page = this.http.get(BASE + "?limit=1000" + ((after != null) ? "&after=" + after : ""))
                .expect(200);
            long metadataBytes = 0;
            for (JsonNode session : page.get("sessions")) {
                listed.add(session.get("id").asString());
                metadataBytes += session.get("metadata").toString().length();
            }
            assertThat(page.get("sessions").size() == 1 || metadataBytes <= 1000)
                .as("a page of several sessions stays within the budget").isTrue();
            after = page.get("nextCursor").isNull() ? null : TestHttp.query(page.get("nextCursor").asString());
        }
        while (after != null);
        assertThat(listed).containsAll(mine).doesNotHaveDuplicates();
    }

    @Test
    void aStreamDeliversEveryEventAcrossBudgetedPages() {
        String id = createSession("budget-stream");
        for (int i = 0; i < 10; i++) {
            append(id, EVENT_302);
        }

        try (SseConnection stream = this.http.stream(sessionPath(id) + "/events/stream")) {
            List<Long> seqs = new ArrayList<>();
            while (seqs.size() < 10) {
                Event event = stream.nextEvent(ITEM_TIMEOUT);
                seqs.add(TestHttp.parse(event.data()).get("seq").asLong());
            }
            assertThat(seqs).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        }
    }

    @Test
    void stateIsReadAPageAtATimeWithALinkToTheNext() {
        String id = createSession("budget-state");
        for (int i = 1; i <= 5; i++) {
            this.http.putJson(sessionPath(id) + "/state/k" + i, jsonString(302)).expect(204);
        }

        TestHttp.Response first = this.http.get(sessionPath(id) + "/state");
        assertThat(first.json().propertyNames()).containsExactly("k1", "k2", "k3");
        assertThat(first.header("Link")).isEqualTo("<" + sessionPath(id) + "/state?after=k3&limit=1000>; rel=\"next\"");
        TestHttp.Response second = this.http.get(sessionPath(id) + "/state?after=k3&limit=1000");
        assertThat(second.json().propertyNames()).containsExactly("k4", "k5");
        assertThat(second.header("Link")).isNull();
        TestHttp.Response limited = this.http.get(sessionPath(id) + "/state?limit=2");
        assertThat(limited.json().propertyNames()).containsExactly("k1", "k2");
        assertThat(limited.header("Link")).contains("after=k2&limit=2");
        this.http.get(sessionPath(id) + "/state?limit=0").expectProblem(400, "INVALID_REQUEST");
        this.http.get(sessionPath(id) + "/state?after=").expectProblem(400, "INVALID_REQUEST");
    }

    @Test
    void aSessionHoldsAtMostMaxKeysStateKeys() {
        String id = createSession("budget-keys");
        for (int i = 1; i <= 5; i++) {
            this.http.putJson(sessionPath(id) + "/state/k" + i, "1").expect(204);
        }

        this.http.putJson(sessionPath(id) + "/state/k6", "1").expectProblem(409, "MAX_STATE_KEYS_REACHED");
        this.http.get(sessionPath(id) + "/state/k6").expectProblem(404, "STATE_KEY_NOT_FOUND");
        this.http.putJson(sessionPath(id) + "/state/k1", "2").expect(204);
        this.http.delete(sessionPath(id) + "/state/k2").expect(204);
        this.http.putJson(sessionPath(id) + "/state/k6", "1").expect(204);
    }

    @Test
    void sessionMetadataAndCapabilitiesAreBoundedByMaxEventBytes() {
        String tooLarge = "{\"m\":" + jsonString(2100) + "}";
        String id = uniqueId("budget-metadata");
        this.http.postJson(BASE, "{\"id\":\"" + id + "\",\"metadata\":" + tooLarge + "}")
            .expectProblem(413, "PAYLOAD_TOO_LARGE");
        this.http.postJson(BASE, "{\"id\":\"" + id + "\",\"clientCapabilities\":{\"a\":" + jsonString(1000)
                + "},\"serverCapabilities\":{\"b\":" + jsonString(1000) + "}}")
            .expectProblem(413, "PAYLOAD_TOO_LARGE");
        this.http.get(sessionPath(id)).expectProblem(404, "SESSION_NOT_FOUND");

        this.http.postJson(BASE, "{\"id\":\"" + id + "\",\"metadata\":{\"m\":1}}").expect(201);
        this.http.send("PATCH", sessionPath(id), TestHttp.APPLICATION_JSON, "{\"metadata\":" + tooLarge + "}")
            .expectProblem(413, "PAYLOAD_TOO_LARGE");
        assertThat(this.http.get(sessionPath(id)).expect(200).get("metadata").toString()).isEqualTo("{\"m\":1}");
    }

    /** A JSON string of exactly {@code bytes} bytes, quotes included. */
    private static String jsonString(int bytes) {
        return "\"" + "x".repeat(bytes - 2) + "\"";
    }

}
