package io.mcpsession.web;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code PAYLOAD_TOO_LARGE} and {@code MAX_EVENTS_REACHED} (SPEC §3.7, §3.9) with small limits and the reject
 * overflow policy.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "mcp.session.events.max-event-bytes=64B", "mcp.session.events.overflow=reject",
                "mcp.session.events.max-per-session=3" })
class LimitsTests extends WebTestSupport {

    @Test
    void eventsLargerThanMaxEventBytesArePayloadTooLarge() {
        String id = createSession("payload");
        String path = sessionPath(id) + "/events";
        this.http.postJson(path, "{\"data\":\"" + "x".repeat(100) + "\"}").expectProblem(413, "PAYLOAD_TOO_LARGE");
        // Data and metadata count together.
        this.http.postJson(path, "{\"data\":\"" + "x".repeat(30) + "\",\"metadata\":{\"m\":\"" + "y".repeat(30) + "\"}}")
            .expectProblem(413, "PAYLOAD_TOO_LARGE");
        // UTF-8 bytes count, not characters: 40 characters, 80 bytes.
        this.http.postJson(path, "{\"data\":\"" + "\u00e9".repeat(40) + "\"}").expectProblem(413, "PAYLOAD_TOO_LARGE");
        this.http.postJson(path, "{\"data\":\"" + "x".repeat(40) + "\",\"ephemeral\":true}").expect(202);
        this.http.postJson(path, "{\"data\":\"" + "x".repeat(100) + "\",\"ephemeral\":true}")
            .expectProblem(413, "PAYLOAD_TOO_LARGE");
        this.http.postJson(path, "[{\"data\":1},{\"data\":\"" + "x".repeat(100) + "\"}]")
            .expectProblem(413, "PAYLOAD_TOO_LARGE");
        assertThat(readEvents(id, "").get("latest").asLong()).as("nothing was appended").isZero();
        JsonNode small = this.http.postJson(path, "{\"data\":\"" + "x".repeat(40) + "\"}").expect(201);
        assertThat(small.get("data").asString()).hasSize(40);
    }

    @Test
    void stateValuesLargerThanMaxEventBytesArePayloadTooLarge() {
        String id = createSession("payload-state");
        this.http.putJson(sessionPath(id) + "/state/k", "\"" + "x".repeat(100) + "\"")
            .expectProblem(413, "PAYLOAD_TOO_LARGE");
        this.http.get(sessionPath(id) + "/state/k").expectProblem(404, "STATE_KEY_NOT_FOUND");
        this.http.putJson(sessionPath(id) + "/state/k", "\"" + "x".repeat(40) + "\"").expect(204);
    }

    @Test
    void aFullLogRejectsNewEvents() {
        String id = createSession("reject");
        String path = sessionPath(id) + "/events";
        for (int i = 1; i <= 3; i++) {
            append(id, "{\"id\":\"e" + i + "\",\"data\":" + i + "}");
        }
        this.http.postJson(path, "{\"id\":\"e4\",\"data\":4}").expectProblem(409, "MAX_EVENTS_REACHED");
        this.http.postJson(path, "[{\"id\":\"e1\",\"data\":1},{\"id\":\"e5\",\"data\":5}]")
            .expectProblem(409, "MAX_EVENTS_REACHED");
        // A duplicate is no new event: it still answers with the original.
        JsonNode duplicate = this.http.postJson(path, "{\"id\":\"e2\",\"data\":99}").expect(200);
        assertThat(duplicate.get("seq").asLong()).isEqualTo(2);
        JsonNode allDuplicates = this.http.postJson(path, "[{\"id\":\"e1\",\"data\":1},{\"id\":\"e3\",\"data\":3}]")
            .expect(200);
        assertThat(EventApiTests.seqs(allDuplicates)).containsExactly(1L, 3L);
        JsonNode page = readEvents(id, "");
        assertThat(page.get("latest").asLong()).isEqualTo(3);
        assertThat(page.get("earliestRetained").asLong()).as("reject never evicts").isEqualTo(1);

        // Trimming makes room.
        this.http.delete(path + "?before=3").expect(204);
        assertThat(append(id, "{\"id\":\"e4\",\"data\":4}").get("seq").asLong()).isEqualTo(4);
        assertThat(append(id, "{\"id\":\"e5\",\"data\":5}").get("seq").asLong()).isEqualTo(5);
        this.http.postJson(path, "{\"data\":6}").expectProblem(409, "MAX_EVENTS_REACHED");
    }

}
