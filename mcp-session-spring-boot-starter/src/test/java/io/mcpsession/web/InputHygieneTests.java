package io.mcpsession.web;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §8, bad input: path ids and state keys are checked before any store call, and every error under the base
 * path (those Spring MVC raises too) is a problem with a {@code code} and details in the project's own words. A
 * recorder around the store proves what never reached it.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(StoreCallRecorder.Configuration.class)
class InputHygieneTests extends WebTestSupport {

    private static final String LONG_ID = "x".repeat(7000);

    @Autowired
    private StoreCallRecorder recorder;

    /** Ids that break SPEC §2's rules, each as its path segment decodes. */
    @ParameterizedTest
    @ValueSource(strings = { "a%7Bb", "a%b", "a;b", "a?b", "a#b", "a b", "caf\u00e9", "a\u0001b", "console",
            "feed-\u00a0" })
    void invalidPathIdsAreRefusedBeforeTheStore(String id) {
        assertRefusedEverywhere(id);
    }

    @Test
    void aSevenThousandCharacterPathIdIsRefusedBeforeTheStore() {
        assertRefusedEverywhere(LONG_ID);
        assertRefusedEverywhere("y".repeat(129));
    }

    @Test
    void stateKeysAreCheckedBeforeTheStoreOnEveryMethod() {
        String id = createSession("keys");
        for (String key : List.of("k".repeat(257), "a\u0001b", "line\nbreak")) {
            String path = sessionPath(id) + "/state/" + TestHttp.segment(key);
            this.http.get(path).expectProblem(400, "INVALID_REQUEST");
            this.http.putJson(path, "1").expectProblem(400, "INVALID_REQUEST");
            this.http.delete(path).expectProblem(400, "INVALID_REQUEST");
            assertThat(this.recorder.arguments()).as("the store was asked about key %s", key).doesNotContain(key);
        }
        // The longest valid key still works.
        String longest = "k".repeat(256);
        this.http.putJson(sessionPath(id) + "/state/" + longest, "1").expect(204);
        assertThat(this.http.get(sessionPath(id) + "/state/" + longest).expect(200).asInt()).isEqualTo(1);
        this.http.delete(sessionPath(id) + "/state/" + longest).expect(204);
    }

    @Test
    void malformedJsonIsDescribedInTheProjectsOwnWords() {
        String id = createSession("words");
        String deep = "[".repeat(3000) + "]".repeat(3000);
        List<TestHttp.Response> responses = List.of(
                this.http.postJson(sessionPath(id) + "/events", "{\"data\":NaN}"),
                this.http.postJson(sessionPath(id) + "/events", "{\"data\":" + deep + "}"),
                this.http.postJson(sessionPath(id) + "/events", "{\"data\":'single'}"),
                this.http.postJson(BASE, "{\"metadata\":{\"a\":Infinity}}"),
                this.http.postJson(BASE, "{\"metadata\":{\"a\":" + deep + "}}"),
                this.http.send("PATCH", sessionPath(id), "application/merge-patch+json", "{\"metadata\":{\"n\":NaN}}"),
                this.http.send("PATCH", sessionPath(id), "application/merge-patch+json",
                        "{\"metadata\":{\"n\":" + deep + "}}"),
                this.http.putJson(sessionPath(id) + "/state/k", "NaN"),
                this.http.putJson(sessionPath(id) + "/state/k", deep));
        for (TestHttp.Response response : responses) {
            JsonNode problem = response.expectProblem(400, "INVALID_REQUEST");
            assertThat(problem.get("detail").asString()).as(response.describe())
                .doesNotContain("StreamReadConstraints")
                .doesNotContain("JsonReadFeature")
                .doesNotContain("ALLOW_")
                .doesNotContain("()")
                .doesNotContain("`");
        }
        assertThat(readEvents(id, "").get("latest").asLong()).isZero();
    }

    @Test
    void routesAndMethodsTheApiDoesNotHaveAreProblems() {
        String id = createSession("routes");
        this.http.send("PUT", sessionPath(id), TestHttp.APPLICATION_JSON, "{}")
            .expectProblem(405, "METHOD_NOT_ALLOWED");
        this.http.send("POST", sessionPath(id) + "/events/latest", TestHttp.APPLICATION_JSON, "{}")
            .expectProblem(405, "METHOD_NOT_ALLOWED");
        this.http.send("POST", BASE + "/feed", TestHttp.APPLICATION_JSON, "{}").expectProblem(405, "METHOD_NOT_ALLOWED");
        this.http.get(sessionPath(id) + "/nothing/here").expectProblem(404, "NOT_FOUND");
        this.http.get(sessionPath(id) + "/events/stream/more", "Accept", "text/event-stream")
            .expectProblem(404, "NOT_FOUND");
        this.http.get(BASE + "/").expectProblem(404, "NOT_FOUND");
        // Only the base path: the application's other errors stay its own.
        TestHttp.Response elsewhere = this.http.get("/not-the-api");
        assertThat(elsewhere.status()).isEqualTo(404);
        assertThat(elsewhere.contentType()).as(elsewhere.describe()).doesNotStartWith("application/problem+json");
    }

    /**
     * Found by {@link HttpApiFuzzTests}: a HEAD of a stream opened one that no one read and that never noticed its
     * client leave, so the next request on that connection got no answer.
     */
    @Test
    void aHeadOfAStreamAnswersWithHeadersAndKeepsTheConnectionUsable() {
        String id = createSession("head");
        for (String path : List.of(sessionPath(id) + "/events/stream", BASE + "/feed/stream")) {
            HttpRequest head = this.http.request(path, "Accept", "text/event-stream")
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build();
            for (int i = 0; i < 5; i++) {
                TestHttp.Response response = this.http.send(head);
                assertThat(response.status()).as(response.describe()).isEqualTo(200);
                assertThat(response.contentType()).startsWith("text/event-stream");
                // The pooled connection the HEAD used answers the next request.
                this.http.get(sessionPath(id)).expect(200);
            }
        }
        HttpRequest missing = this.http.request(sessionPath(uniqueId("nobody")) + "/events/stream")
            .method("HEAD", HttpRequest.BodyPublishers.noBody())
            .build();
        assertThat(this.http.send(missing).status()).isEqualTo(404);
    }

    /**
     * Found by {@link HttpApiFuzzTests}: Spring MVC's handler lookup failed with a 500 on a wildcard type, and
     * Spring's form filter on a malformed form.
     */
    @Test
    void contentTypesThatAreNoConcreteMediaTypeAreUnsupported() {
        String id = createSession("wildcard");
        for (String type : List.of("*/*", "application/*", "garbage", "/json", "application/")) {
            this.http.send("POST", BASE, type, "{}").expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
            this.http.send("POST", sessionPath(id) + "/events", type, "{\"data\":1}")
                .expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
            this.http.send("DELETE", sessionPath(id) + "/state/k", type, null)
                .expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        }
        // Spring's form filter failed with a 500 on a malformed form body of a PUT, PATCH or DELETE.
        for (String method : List.of("PUT", "PATCH", "DELETE")) {
            this.http.send(method, sessionPath(id) + "/state/k", "application/x-www-form-urlencoded", "a=%zz")
                .expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        }
        assertThat(readEvents(id, "").get("latest").asLong()).isZero();
    }

    /** Tomcat refuses these before any filter or servlet runs; under the base path its report is our problem. */
    @Test
    void containerLevelErrorsUnderTheBasePathAreProblems() {
        this.http.get(BASE + "/a%2Fb").expectProblem(400, "INVALID_REQUEST");
        this.http.get(BASE + "/a%5Cb/events").expectProblem(400, "INVALID_REQUEST");
        this.http.get(BASE + "/x", "X-Big", "b".repeat(20_000)).expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(BASE, "{}", "X-Big", "b".repeat(20_000)).expectProblem(400, "INVALID_REQUEST");
        // Elsewhere Tomcat's own report stays.
        TestHttp.Response elsewhere = this.http.get("/elsewhere/a%2Fb");
        assertThat(elsewhere.status()).isEqualTo(400);
        assertThat(elsewhere.contentType()).as(elsewhere.describe()).doesNotStartWith("application/problem+json");
    }

    private void assertRefusedEverywhere(String id) {
        String path = sessionPath(id);
        for (BiFunction<TestHttp, String, TestHttp.Response> request : requests()) {
            request.apply(this.http, path).expectProblem(400, "INVALID_SESSION_ID");
        }
        assertThat(this.recorder.arguments()).as("the store was asked about an invalid id").doesNotContain(id);
    }

    private static List<BiFunction<TestHttp, String, TestHttp.Response>> requests() {
        return List.of((http, path) -> http.get(path),
                (http, path) -> http.send("PATCH", path, "application/merge-patch+json", "{\"initialized\":true}"),
                (http, path) -> http.delete(path), (http, path) -> http.get(path + "/events"),
                (http, path) -> http.get(path + "/events?waitMs=1000"),
                (http, path) -> http.postJson(path + "/events", "{\"data\":1}"),
                (http, path) -> http.get(path + "/events/latest"),
                (http, path) -> http.delete(path + "/events?before=2"),
                (http, path) -> http.get(path + "/events/stream", "Accept", "text/event-stream"),
                (http, path) -> http.get(path + "/state"), (http, path) -> http.get(path + "/state/k"),
                (http, path) -> http.putJson(path + "/state/k", "1"), (http, path) -> http.delete(path + "/state/k"));
    }

}
