package io.mcpsession.web;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.mcpsession.store.SessionStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §8: a cross-site form cannot create or change anything. A body must be JSON (also an empty one that
 * declares another type), and a request from a browser on another site gets {@code 403 ORIGIN_NOT_ALLOWED} unless
 * {@code mcp.session.web.allowed-origins} lists its origin; requests without {@code Origin} are served as before.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "mcp.session.web.allowed-origins=https://allowed.example, http://tools.example:*")
class BrowserOriginTests extends WebTestSupport {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Autowired
    private SessionStore store;

    @ParameterizedTest
    @ValueSource(strings = { "https://evil.example", "null", "https://allowed.example.evil", "http://allowed.example",
            "https://allowed.example:8443", "http://localhost:1", "not an origin", "https://tools.example" })
    void aForeignOriginCannotCreateASession(String origin) {
        Set<String> before = sessionIds();
        this.http.send("POST", BASE, FORM, "", "Origin", origin).expectProblem(403, "ORIGIN_NOT_ALLOWED");
        this.http.send("POST", BASE, FORM, "id=x", "Origin", origin).expectProblem(403, "ORIGIN_NOT_ALLOWED");
        this.http.send("POST", BASE, "text/plain", "{}", "Origin", origin).expectProblem(403, "ORIGIN_NOT_ALLOWED");
        this.http.postJson(BASE, "{}", "Origin", origin).expectProblem(403, "ORIGIN_NOT_ALLOWED");
        this.http.send("POST", BASE, null, null, "Origin", origin).expectProblem(403, "ORIGIN_NOT_ALLOWED");
        assertThat(sessionIds()).isEqualTo(before);
    }

    @Test
    void aForeignOriginCannotReadOrChangeASession() {
        String id = createSession("foreign");
        String origin = "https://evil.example";
        this.http.get(sessionPath(id), "Origin", origin).expectProblem(403, "ORIGIN_NOT_ALLOWED");
        this.http.postJson(sessionPath(id) + "/events", "{\"data\":1}", "Origin", origin)
            .expectProblem(403, "ORIGIN_NOT_ALLOWED");
        this.http.send("POST", sessionPath(id) + "/events", FORM, "data=1", "Origin", origin)
            .expectProblem(403, "ORIGIN_NOT_ALLOWED");
        this.http.delete(sessionPath(id), "Origin", origin).expectProblem(403, "ORIGIN_NOT_ALLOWED");
        this.http.send("OPTIONS", sessionPath(id), null, null, "Origin", origin, "Access-Control-Request-Method",
                "DELETE").expectProblem(403, "ORIGIN_NOT_ALLOWED");
        assertThat(readEvents(id, "").get("latest").asLong()).isZero();
        this.http.get(sessionPath(id)).expect(200);
    }

    /** An empty form declares a type that is not JSON: refused whatever its origin, so a form is no way in. */
    @Test
    void anEmptyFormBodyIsUnsupportedMediaTypeWithoutAnOriginToo() {
        Set<String> before = sessionIds();
        this.http.send("POST", BASE, FORM, "").expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        this.http.send("POST", BASE, "multipart/form-data; boundary=x", "")
            .expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        this.http.send("POST", BASE, "text/plain", "").expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        String id = createSession("form");
        this.http.send("PATCH", sessionPath(id), FORM, "").expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        this.http.send("PUT", sessionPath(id) + "/state/k", FORM, "").expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        this.http.send("POST", sessionPath(id) + "/events", FORM, "").expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        assertThat(sessionIds()).containsExactlyInAnyOrderElementsOf(plus(before, id));
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://allowed.example", "https://allowed.example:443", "HTTPS://Allowed.Example/",
            "http://tools.example", "http://tools.example:1234" })
    void listedOriginsAreServed(String origin) {
        String id = this.http.postJson(BASE, "{}", "Origin", origin).expect(201).get("id").asString();
        this.http.get(sessionPath(id), "Origin", origin).expect(200);
        this.http.postJson(sessionPath(id) + "/events", "{\"data\":1}", "Origin", origin).expect(201);
    }

    @Test
    void theServersOwnOriginAndRequestsWithoutOriginAreServed() {
        String id = this.http.postJson(BASE, "{}", "Origin", this.http.origin()).expect(201).get("id").asString();
        this.http.get(sessionPath(id), "Origin", this.http.origin()).expect(200);
        this.http.postJson(sessionPath(id) + "/events", "{\"data\":1}").expect(201);
        this.http.send("POST", BASE, null, null).expect(201);
    }

    private Set<String> sessionIds() {
        return new HashSet<>(listedIds(this.store));
    }

    private static Set<String> plus(Set<String> ids, String id) {
        Set<String> all = new HashSet<>(ids);
        all.add(id);
        return all;
    }

}
