package io.mcpsession.web;

import java.net.URI;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.mcpsession.web.EventStreamParser.Event;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mcp.session.web.base-path} moves the whole API (SPEC §8).
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "mcp.session.web.base-path=/api/s")
class BasePathTests extends WebTestSupport {

    private static final String MOVED = "/api/s";

    @Test
    void theApiMoves() {
        TestHttp.Response created = this.http.send("POST", MOVED, null, null);
        JsonNode session = created.expect(201);
        String id = session.get("id").asString();
        assertThat(URI.create(this.http.origin() + MOVED).resolve(created.header("Location")).getPath())
            .isEqualTo(MOVED + "/" + id);
        this.http.get(MOVED + "/" + id).expect(200);
        JsonNode appended = this.http.postJson(MOVED + "/" + id + "/events", "{\"data\":1}").expect(201);
        this.http.get(MOVED + "/" + id + "/events").expect(200);
        this.http.get(MOVED + "/feed").expect(200);
        try (SseConnection stream = this.http.stream(MOVED + "/" + id + "/events/stream")) {
            Event event = stream.nextEvent(ITEM_TIMEOUT);
            assertThat(event.id()).isEqualTo(appended.get("epoch").asString() + ":1");
        }

        // The old path is not served.
        assertThat(this.http.get(BASE + "/" + id).status()).isEqualTo(404);
        assertThat(this.http.get(BASE + "/" + id + "/events").status()).isEqualTo(404);
        assertThat(this.http.get(BASE).status()).isEqualTo(404);
        assertThat(this.http.send("POST", BASE, null, null).status()).isIn(404, 405);
    }

}
