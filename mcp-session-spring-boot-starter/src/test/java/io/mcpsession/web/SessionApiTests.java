package io.mcpsession.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions over HTTP (SPEC §6 "Sessions"): create, get, list, patch, delete.
 */
class SessionApiTests extends SharedContextTestSupport {

    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3,}Z");

    @Test
    void createWithoutBodyGeneratesUuidV7() {
        TestHttp.Response response = this.http.send("POST", BASE, null, null);
        JsonNode session = response.expect(201);
        String id = session.get("id").asString();
        UUID uuid = UUID.fromString(id);
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.toString()).isEqualTo(id);
        assertLocation(response, id);
        assertThat(session.get("initialized").asBoolean()).isFalse();
        assertThat(session.get("clientCapabilities").isNull()).isTrue();
        assertThat(session.get("serverCapabilities").isNull()).isTrue();
        assertThat(session.get("protocolVersion").isNull()).isTrue();
        assertThat(session.get("metadata").isObject()).isTrue();
        assertThat(session.get("metadata").size()).isZero();
        assertThat(session.get("principal").isNull()).isTrue();
        for (String field : List.of("createdAt", "lastActivity", "expiresAt")) {
            assertThat(session.get(field).asString()).as(field).matches(TIMESTAMP);
        }
        JsonNode fetched = this.http.get(sessionPath(id)).expect(200);
        assertThat(fetched.get("id").asString()).isEqualTo(id);
        assertThat(fetched.get("createdAt")).isEqualTo(session.get("createdAt"));
    }

    @Test
    void createWithEmptyObjectGeneratesAnId() {
        TestHttp.Response response = this.http.postJson(BASE, "{}");
        JsonNode session = response.expect(201);
        assertThat(UUID.fromString(session.get("id").asString()).version()).isEqualTo(7);
        assertLocation(response, session.get("id").asString());
    }

    @Test
    void generatedIdsAreUnique() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            ids.add(this.http.send("POST", BASE, null, null).expect(201).get("id").asString());
        }
        assertThat(ids).hasSize(20);
    }

    @Test
    void createWithCallerIdAndMembers() {
        String id = uniqueId("caller");
        String body = "{\"id\":\"" + id + "\",\"clientCapabilities\":{\"roots\":{\"listChanged\":true},\"n\":1.10},"
                + "\"serverCapabilities\":{\"tools\":{}},\"protocolVersion\":\"2025-11-25\","
                + "\"metadata\":{\"z\":\"last\",\"a\":\"h\u00e9llo \\u00e9\",\"big\":12345678901234567890}}";
        TestHttp.Response response = this.http.postJson(BASE, body);
        JsonNode session = response.expect(201);
        assertLocation(response, id);
        assertThat(session.get("id").asString()).isEqualTo(id);
        assertThat(session.get("protocolVersion").asString()).isEqualTo("2025-11-25");
        assertThat(response.body()).contains("\"clientCapabilities\":{\"roots\":{\"listChanged\":true},\"n\":1.10}")
            .contains("\"serverCapabilities\":{\"tools\":{}}")
            .contains("\"metadata\":{\"z\":\"last\",\"a\":\"h\u00e9llo \\u00e9\",\"big\":12345678901234567890}");
        TestHttp.Response fetched = this.http.get(sessionPath(id));
        fetched.expect(200);
        assertThat(fetched.body())
            .contains("\"metadata\":{\"z\":\"last\",\"a\":\"h\u00e9llo \\u00e9\",\"big\":12345678901234567890}");
    }

    @Test
    void duplicateIdIsSessionExists() {
        String id = createSession("dup");
        this.http.postJson(BASE, "{\"id\":\"" + id + "\"}").expectProblem(409, "SESSION_EXISTS");
        assertThat(this.http.get(sessionPath(id)).expect(200).get("id").asString()).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", ".", "..", "feed", "a b", "a/b", "a\\\\b", "a;b", "a%b", "a?b", "a#b", "caf\u00e9",
            "tab\\there", "new\\nline", "del\u007f" })
    void badIdsAreInvalidSessionId(String id) {
        this.http.postJson(BASE, "{\"id\":\"" + id + "\"}").expectProblem(400, "INVALID_SESSION_ID");
    }

    @Test
    void tooLongIdIsInvalidSessionId() {
        this.http.postJson(BASE, "{\"id\":\"" + "x".repeat(129) + "\"}").expectProblem(400, "INVALID_SESSION_ID");
        String longest = "y".repeat(100) + UUID.randomUUID().toString().substring(0, 28);
        assertThat(longest).hasSize(128);
        this.http.postJson(BASE, "{\"id\":\"" + longest + "\"}").expect(201);
    }

    /**
     * SPEC §2: any visible ASCII except {@code / \ ; % ? #} is a valid caller id, so these must be created (and
     * be reachable through their percent-encoded path segment).
     */
    @ParameterizedTest
    @ValueSource(strings = { "pipe|", "quote\\\"", "brace{x}", "caret^", "angle<x>", "tick`", "bracket[0]",
            "colon:at@", "bang!$&'()*+,=", "dot.tilde~" })
    void visibleAsciiIdsAreAccepted(String suffix) {
        String json = "{\"id\":\"" + suffix + UUID.randomUUID() + "\"}";
        String id = TestHttp.parse(json).get("id").asString();
        TestHttp.Response response = this.http.postJson(BASE, json);
        assertThat(response.status()).as(response.describe()).isEqualTo(201);
        assertThat(response.json().get("id").asString()).isEqualTo(id);
        assertLocation(response, id);
        assertThat(this.http.get(sessionPath(id)).expect(200).get("id").asString()).isEqualTo(id);
    }

    @Test
    void wrongMemberTypesAndUnknownMembersAreInvalidRequest() {
        this.http.postJson(BASE, "{\"id\":5}").expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(BASE, "{\"metadata\":[1]}").expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(BASE, "{\"clientCapabilities\":\"x\"}").expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(BASE, "{\"bogus\":1}").expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(BASE, "[]").expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(BASE, "{\"id\":\"a\"").expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(BASE, "{} {}").expectProblem(400, "INVALID_REQUEST");
    }

    @Test
    void getUnknownIsNotFound() {
        this.http.get(sessionPath(uniqueId("nobody"))).expectProblem(404, "SESSION_NOT_FOUND");
    }

    @Test
    void listPagesByCreationWithNextCursor() {
        // Ids that sort in creation order, so the order is fixed even when they share a millisecond.
        String stem = "list-" + UUID.randomUUID();
        List<String> mine = List.of(stem + "-1", stem + "-2", stem + "-3");
        for (String id : mine) {
            this.http.postJson(BASE, "{\"id\":\"" + id + "\"}").expect(201);
        }
        // These three are the newest sessions of the store (tests of a class run one at a time).
        JsonNode page = this.http.get(BASE + "?after=" + TestHttp.query(mine.get(0)) + "&limit=1").expect(200);
        assertThat(ids(page)).containsExactly(mine.get(1));
        assertThat(page.get("nextCursor").asString()).isEqualTo(mine.get(1));
        page = this.http.get(BASE + "?after=" + TestHttp.query(mine.get(1)) + "&limit=1").expect(200);
        assertThat(ids(page)).containsExactly(mine.get(2));
        assertThat(page.get("nextCursor").isNull()).as("last page").isTrue();
        page = this.http.get(BASE + "?after=" + TestHttp.query(mine.get(0)) + "&limit=5").expect(200);
        assertThat(ids(page)).containsExactly(mine.get(1), mine.get(2));
        assertThat(page.get("nextCursor").isNull()).isTrue();
        page = this.http.get(BASE + "?after=" + TestHttp.query(mine.get(2))).expect(200);
        assertThat(ids(page)).isEmpty();
        assertThat(page.get("nextCursor").isNull()).isTrue();

        // A full walk visits every session once, in order, and ends on a null cursor.
        List<String> walked = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 10_000; pages++) {
            JsonNode current = this.http.get(BASE + "?limit=7" + ((after != null) ? "&after=" + TestHttp.query(after) : ""))
                .expect(200);
            List<String> ids = ids(current);
            assertThat(ids.size()).isLessThanOrEqualTo(7);
            walked.addAll(ids);
            JsonNode next = current.get("nextCursor");
            assertThat(next).as("nextCursor is always present").isNotNull();
            if (next.isNull()) {
                break;
            }
            assertThat(next.asString()).isEqualTo(ids.get(ids.size() - 1));
            after = next.asString();
        }
        assertThat(walked).doesNotHaveDuplicates();
        assertThat(walked.subList(walked.size() - 3, walked.size())).containsExactlyElementsOf(mine);

        // The default limit is 100; the bounds are 1..1000.
        assertThat(this.http.get(BASE).expect(200).get("sessions").size()).isLessThanOrEqualTo(100);
        this.http.get(BASE + "?limit=1000").expect(200);
        this.http.get(BASE + "?limit=0").expectProblem(400, "INVALID_REQUEST");
        this.http.get(BASE + "?limit=1001").expectProblem(400, "INVALID_REQUEST");
        this.http.get(BASE + "?limit=-1").expectProblem(400, "INVALID_REQUEST");
        this.http.get(BASE + "?limit=abc").expectProblem(400, "INVALID_REQUEST");
    }

    /**
     * A client pages with the {@code nextCursor} it was given; the session it names may be deleted (or expire)
     * before the next page is asked for. The walk must go on from that position, not fail with INVALID_CURSOR.
     */
    @Test
    void listContinuesAfterTheCursorSessionIsDeleted() {
        String stem = "gone-" + UUID.randomUUID();
        List<String> mine = List.of(stem + "-1", stem + "-2", stem + "-3");
        for (String id : mine) {
            this.http.postJson(BASE, "{\"id\":\"" + id + "\"}").expect(201);
        }
        JsonNode page = this.http.get(BASE + "?after=" + TestHttp.query(mine.get(0)) + "&limit=1").expect(200);
        assertThat(page.get("nextCursor").asString()).isEqualTo(mine.get(1));
        this.http.delete(sessionPath(mine.get(1))).expect(204);
        TestHttp.Response next = this.http.get(BASE + "?after=" + TestHttp.query(mine.get(1)) + "&limit=1");
        assertThat(next.status()).as(next.describe()).isEqualTo(200);
        assertThat(ids(next.json())).containsExactly(mine.get(2));
    }

    @Test
    void listAfterAnUnknownNonUuidIdIsInvalidCursor() {
        this.http.get(BASE + "?after=" + TestHttp.query(uniqueId("never-created")))
            .expectProblem(400, "INVALID_CURSOR");
    }

    @Test
    void patchMergesWithMergePatchJson() {
        String id = uniqueId("patch");
        this.http.postJson(BASE, "{\"id\":\"" + id + "\",\"metadata\":{\"a\":1,\"b\":{\"c\":2,\"d\":3},\"keep\":\"k\"},"
                + "\"clientCapabilities\":{\"x\":1}}").expect(201);
        TestHttp.Response response = this.http.send("PATCH", sessionPath(id), "application/merge-patch+json",
                "{\"metadata\":{\"a\":null,\"b\":{\"d\":null,\"e\":4}},\"initialized\":true,"
                        + "\"protocolVersion\":\"2025-11-25\",\"serverCapabilities\":{\"tools\":{}}}");
        JsonNode session = response.expect(200);
        assertThat(session.get("initialized").asBoolean()).isTrue();
        assertThat(session.get("protocolVersion").asString()).isEqualTo("2025-11-25");
        assertThat(session.get("metadata")).isEqualTo(TestHttp.parse("{\"b\":{\"c\":2,\"e\":4},\"keep\":\"k\"}"));
        assertThat(session.get("metadata").has("a")).isFalse();
        assertThat(session.get("clientCapabilities")).isEqualTo(TestHttp.parse("{\"x\":1}"));
        assertThat(session.get("serverCapabilities")).isEqualTo(TestHttp.parse("{\"tools\":{}}"));

        // application/json is accepted too; null removes members.
        session = this.http.send("PATCH", sessionPath(id), "application/json",
                "{\"protocolVersion\":null,\"clientCapabilities\":null,\"metadata\":{\"keep\":null}}").expect(200);
        assertThat(session.get("protocolVersion").isNull()).isTrue();
        assertThat(session.get("clientCapabilities").isNull()).isTrue();
        assertThat(session.get("metadata")).isEqualTo(TestHttp.parse("{\"b\":{\"c\":2,\"e\":4}}"));
        assertThat(this.http.get(sessionPath(id)).expect(200).get("metadata"))
            .isEqualTo(TestHttp.parse("{\"b\":{\"c\":2,\"e\":4}}"));

        // Failed patches change nothing and write no feed entry.
        this.http.send("PATCH", sessionPath(id), "text/plain", "{\"initialized\":false}")
            .expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        this.http.send("PATCH", sessionPath(id), "application/merge-patch+json", "{\"id\":\"other\"}")
            .expectProblem(400, "INVALID_REQUEST");
        this.http.send("PATCH", sessionPath(id), "application/merge-patch+json", "{\"initialized\":\"yes\"}")
            .expectProblem(400, "INVALID_REQUEST");
        this.http.send("PATCH", sessionPath(id), "application/merge-patch+json", "[1]")
            .expectProblem(400, "INVALID_REQUEST");
        this.http.send("PATCH", sessionPath(id), "application/merge-patch+json", "{\"metadata\":")
            .expectProblem(400, "INVALID_REQUEST");
        this.http.send("PATCH", sessionPath(id), "application/merge-patch+json", null)
            .expectProblem(400, "INVALID_REQUEST");
        assertThat(this.http.get(sessionPath(id)).expect(200).get("initialized").asBoolean()).isTrue();

        // One session.updated entry per successful PATCH, and nothing else writes one.
        JsonNode feed = this.http.get(BASE + "/feed?types=session.updated&limit=1000&sessionId=" + TestHttp.query(id))
            .expect(200);
        assertThat(feed.get("entries").size()).isEqualTo(2);
        assertThat(feed.get("entries").get(1).get("session").get("metadata"))
            .isEqualTo(TestHttp.parse("{\"b\":{\"c\":2,\"e\":4}}"));
    }

    @Test
    void patchUnknownIsNotFound() {
        this.http.send("PATCH", sessionPath(uniqueId("nobody")), "application/merge-patch+json",
                "{\"initialized\":true}").expectProblem(404, "SESSION_NOT_FOUND");
    }

    @Test
    void deleteThenNotFound() {
        String id = createSession("delete");
        append(id, "{\"data\":1}");
        this.http.putJson(sessionPath(id) + "/state/k", "1").expect(204);
        TestHttp.Response deleted = this.http.delete(sessionPath(id));
        assertThat(deleted.status()).as(deleted.describe()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        this.http.get(sessionPath(id)).expectProblem(404, "SESSION_NOT_FOUND");
        this.http.delete(sessionPath(id)).expectProblem(404, "SESSION_NOT_FOUND");
        this.http.get(sessionPath(id) + "/events").expectProblem(404, "SESSION_NOT_FOUND");
        this.http.get(sessionPath(id) + "/state").expectProblem(404, "SESSION_NOT_FOUND");
        this.http.get(sessionPath(id) + "/state/k").expectProblem(404, "SESSION_NOT_FOUND");
        this.http.postJson(sessionPath(id) + "/events", "{\"data\":2}").expectProblem(404, "SESSION_NOT_FOUND");

        JsonNode feed = this.http.get(BASE + "/feed?limit=1000&sessionId=" + TestHttp.query(id)).expect(200);
        List<String> types = new ArrayList<>();
        feed.get("entries").forEach((entry) -> types.add(entry.get("type").asString()));
        assertThat(types).containsExactly("session.created", "event.appended", "session.deleted");

        // The id is free again, with a fresh log.
        this.http.postJson(BASE, "{\"id\":\"" + id + "\"}").expect(201);
        JsonNode events = readEvents(id, "");
        assertThat(events.get("events").size()).isZero();
        assertThat(events.get("latest").asLong()).isZero();
        this.http.get(sessionPath(id) + "/state/k").expectProblem(404, "STATE_KEY_NOT_FOUND");
    }

    private void assertLocation(TestHttp.Response response, String id) {
        String location = response.header("Location");
        assertThat(location).as(response.describe()).isNotNull();
        URI resolved = URI.create(this.http.origin() + BASE).resolve(location);
        assertThat(resolved.getPath()).isEqualTo(BASE + "/" + id);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("sessions").forEach((session) -> ids.add(session.get("id").asString()));
        return ids;
    }

}
