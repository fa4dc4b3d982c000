package io.mcpsession.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Errors of SPEC §6 that the shared context can reach: RFC 9457 problems with a stable code, never a class name
 * or a stack trace, and problem+json also where the client asked for an event stream.
 */
class ProblemResponseTests extends SharedContextTestSupport {

    @Test
    void problemShape() {
        String missing = uniqueId("nobody");
        JsonNode problem = this.http.get(sessionPath(missing)).expectProblem(404, "SESSION_NOT_FOUND");
        assertThat(problem.get("title").asString()).isEqualTo("Not Found");
        assertThat(problem.get("detail").asString()).contains(missing);
        if (problem.has("type")) {
            assertThat(problem.get("type").asString()).isEqualTo("about:blank");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "limit=0", "limit=1001", "limit=-1", "limit=abc", "limit=", "limit=1.5",
            "limit=99999999999999999999", "before=0", "before=-3", "before=x", "since=yesterday",
            "since=2025-13-01T00:00:00Z", "since=", "waitMs=-1", "waitMs=abc", "type=", "runId=" })
    void badEventReadParametersAreInvalidRequest(String query) {
        String id = createSession("bad-params");
        this.http.get(sessionPath(id) + "/events?" + query).expectProblem(400, "INVALID_REQUEST");
    }

    @ParameterizedTest
    @ValueSource(strings = { "after=abc", "after=-1", "after=1.0", "after=", "after=99999999999999999999",
            "epoch=" + "%21bad", "epoch=a:b" })
    void badEventCursorsAreInvalidCursor(String query) {
        String id = createSession("bad-cursor");
        this.http.get(sessionPath(id) + "/events?" + query).expectProblem(400, "INVALID_CURSOR");
    }

    @Test
    void longTypeAndRunIdFiltersAreInvalidRequest() {
        String id = createSession("bad-filter");
        this.http.get(sessionPath(id) + "/events?type=" + "t".repeat(257)).expectProblem(400, "INVALID_REQUEST");
        this.http.get(sessionPath(id) + "/events?runId=" + "r".repeat(257)).expectProblem(400, "INVALID_REQUEST");
        this.http.get(sessionPath(id) + "/events?type=" + "t".repeat(256)).expect(200);
    }

    @Test
    void badFeedParameters() {
        this.http.get(BASE + "/feed?limit=0").expectProblem(400, "INVALID_REQUEST");
        this.http.get(BASE + "/feed?limit=1001").expectProblem(400, "INVALID_REQUEST");
        this.http.get(BASE + "/feed?limit=abc").expectProblem(400, "INVALID_REQUEST");
        this.http.get(BASE + "/feed?types=session.created,bogus").expectProblem(400, "INVALID_REQUEST");
        this.http.get(BASE + "/feed?waitMs=-5").expectProblem(400, "INVALID_REQUEST");
        this.http.get(BASE + "/feed?after=abc").expectProblem(400, "INVALID_CURSOR");
        this.http.get(BASE + "/feed?sessionId=..").expectProblem(400, "INVALID_SESSION_ID");
        this.http.get(BASE + "/feed/stream?sessionId=..", "Accept", "text/event-stream")
            .expectProblem(400, "INVALID_SESSION_ID");
        this.http.get(BASE + "/feed/stream?types=bogus", "Accept", "text/event-stream")
            .expectProblem(400, "INVALID_REQUEST");
        this.http.get(BASE + "/feed/stream", "Accept", "text/event-stream", "Last-Event-ID", "nope")
            .expectProblem(400, "INVALID_CURSOR");
    }

    @ParameterizedTest
    @ValueSource(strings = { "abc", "x:y", ":5", "-1", "e:-1", "epoch:", "bad epoch:3", "1.5", "e:1:x" })
    void badLastEventIdIsInvalidCursorBeforeTheStreamStarts(String lastEventId) {
        String id = createSession("bad-last-event-id");
        TestHttp.Response response = this.http.get(sessionPath(id) + "/events/stream", "Accept", "text/event-stream",
                "Last-Event-ID", lastEventId);
        response.expectProblem(400, "INVALID_CURSOR");
    }

    @Test
    void badAfterOnAStreamIsInvalidCursor() {
        String id = createSession("bad-after");
        this.http.get(sessionPath(id) + "/events/stream?after=abc", "Accept", "text/event-stream")
            .expectProblem(400, "INVALID_CURSOR");
        this.http.get(BASE + "/feed/stream?after=-2", "Accept", "text/event-stream")
            .expectProblem(400, "INVALID_CURSOR");
    }

    @Test
    void unknownSessionStreamIsProblemJsonEvenForEventStreamClients() {
        this.http.get(sessionPath(uniqueId("nobody")) + "/events/stream", "Accept", "text/event-stream")
            .expectProblem(404, "SESSION_NOT_FOUND");
        this.http.get(sessionPath(uniqueId("nobody")) + "/events?waitMs=1000", "Accept", "text/event-stream")
            .expectProblem(404, "SESSION_NOT_FOUND");
        this.http.get(sessionPath(uniqueId("nobody")), "Accept", "text/event-stream")
            .expectProblem(404, "SESSION_NOT_FOUND");
        this.http.send("POST", BASE, "application/json", "{\"id\":\"..\"}", "Accept", "text/event-stream")
            .expectProblem(400, "INVALID_SESSION_ID");
    }

    @Test
    void bodiesThatAreNotJsonAreUnsupportedMediaType() {
        String id = createSession("media");
        this.http.send("POST", BASE, "text/plain", "{}").expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        this.http.send("POST", BASE, "application/xml", "<a/>").expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        this.http.send("POST", BASE, null, "{}").expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        this.http.send("POST", sessionPath(id) + "/events", "text/plain", "{\"data\":1}")
            .expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        this.http.send("POST", sessionPath(id) + "/events", "application/x-www-form-urlencoded", "data=1")
            .expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        this.http.send("POST", sessionPath(id) + "/events", "not a media type", "{\"data\":1}")
            .expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(readEvents(id, "").get("latest").asLong()).isZero();

        // JSON media types with parameters or a +json suffix are JSON.
        this.http.send("POST", sessionPath(id) + "/events", "application/json; charset=utf-8", "{\"data\":1}")
            .expect(201);
        this.http.send("POST", sessionPath(id) + "/events", "application/vnd.example+json", "{\"data\":2}")
            .expect(201);
    }

    @Test
    void malformedJsonIsInvalidRequest() {
        String id = createSession("malformed");
        for (String body : new String[] { "{", "{\"data\":}", "{\"data\":1,}", "nul", "{\"data\":'x'}",
                "{\"data\":1} trailing", "{\"data\":\"\u0001\"}", "{\"data\":[1,2}" }) {
            this.http.postJson(sessionPath(id) + "/events", body).expectProblem(400, "INVALID_REQUEST");
        }
        assertThat(readEvents(id, "").get("latest").asLong()).isZero();
    }

}
