package io.mcpsession.web;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.mcpsession.web.EventStreamParser.Event;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SPEC §8: a session records its creator's principal, and every request about it by anyone else is answered
 * exactly as for a session that does not exist. The principal comes from a servlet filter that names it after the
 * {@code X-Test-User} header (standing in for Spring Security).
 */
@SpringBootTest(classes = { WebTestApplication.class, SecurityTests.PrincipalFilterConfiguration.class },
        webEnvironment = WebEnvironment.RANDOM_PORT, properties = "mcp.session.sse.keepalive=200ms")
class SecurityTests extends WebTestSupport {

    private static final String USER = "X-Test-User";

    @Test
    void sessionsRecordTheirPrincipal() {
        JsonNode session = this.http.send("POST", BASE, null, null, USER, "alice").expect(201);
        assertThat(session.get("principal").asString()).isEqualTo("alice");
        JsonNode anonymous = this.http.send("POST", BASE, null, null).expect(201);
        assertThat(anonymous.get("principal").isNull()).isTrue();
    }

    @Test
    void anotherPrincipalGetsNotFoundEverywhere() {
        String id = uniqueId("alice");
        this.http.postJson(BASE, "{\"id\":\"" + id + "\"}", USER, "alice").expect(201);
        this.http.postJson(sessionPath(id) + "/events", "{\"id\":\"a1\",\"data\":1}", USER, "alice").expect(201);
        this.http.putJson(sessionPath(id) + "/state/k", "1", USER, "alice").expect(204);
        String missing = uniqueId("missing");

        for (String[] who : new String[][] { { USER, "bob" }, {} }) {
            for (Request request : requests()) {
                JsonNode expected = request.send(this, missing, who).expectProblem(404, "SESSION_NOT_FOUND");
                JsonNode actual = request.send(this, id, who).expectProblem(404, "SESSION_NOT_FOUND");
                assertThat(actual.get("detail").asString().replace(id, "ID"))
                    .as(request.name() + " is answered as for a missing session")
                    .isEqualTo(expected.get("detail").asString().replace(missing, "ID"));
                assertThat(actual.get("title")).isEqualTo(expected.get("title"));
            }
        }

        // Nothing the others tried changed anything.
        JsonNode session = this.http.get(sessionPath(id), USER, "alice").expect(200);
        assertThat(session.get("initialized").asBoolean()).isFalse();
        JsonNode events = this.http.get(sessionPath(id) + "/events", USER, "alice").expect(200);
        assertThat(EventApiTests.seqs(events.get("events"))).containsExactly(1L);
        assertThat(this.http.get(sessionPath(id) + "/state", USER, "alice").expect(200))
            .isEqualTo(TestHttp.parse("{\"k\":1}"));
    }

    @Test
    void theOwnerGetsEverything() {
        String id = uniqueId("owner");
        this.http.postJson(BASE, "{\"id\":\"" + id + "\"}", USER, "alice").expect(201);
        JsonNode appended = this.http.postJson(sessionPath(id) + "/events", "{\"data\":1}", USER, "alice").expect(201);
        this.http.get(sessionPath(id), USER, "alice").expect(200);
        this.http.get(sessionPath(id) + "/events", USER, "alice").expect(200);
        this.http.get(sessionPath(id) + "/events/latest", USER, "alice").expect(200);
        this.http.putJson(sessionPath(id) + "/state/k", "1", USER, "alice").expect(204);
        assertThat(this.http.get(sessionPath(id) + "/state/k", USER, "alice").expect(200).asInt()).isEqualTo(1);
        this.http.send("PATCH", sessionPath(id), "application/merge-patch+json", "{\"initialized\":true}", USER, "alice")
            .expect(200);
        try (SseConnection stream = this.http.stream(sessionPath(id) + "/events/stream", USER, "alice")) {
            assertThat(stream.status()).isEqualTo(200);
            Event event = stream.nextEvent(ITEM_TIMEOUT);
            assertThat(event.id()).isEqualTo(appended.get("epoch").asString() + ":1");
        }
        this.http.delete(sessionPath(id) + "/state/k", USER, "alice").expect(204);
        this.http.delete(sessionPath(id), USER, "alice").expect(204);
        this.http.get(sessionPath(id), USER, "alice").expectProblem(404, "SESSION_NOT_FOUND");
    }

    @Test
    void listsShowOnlyTheCallersSessions() {
        String alice = uniqueId("list-alice");
        String bob = uniqueId("list-bob");
        this.http.postJson(BASE, "{\"id\":\"" + alice + "\"}", USER, "alice").expect(201);
        this.http.postJson(BASE, "{\"id\":\"" + bob + "\"}", USER, "bob").expect(201);
        List<String> seenByBob = walk("bob");
        assertThat(seenByBob).contains(bob).doesNotContain(alice);
        List<String> seenByAlice = walk("alice");
        assertThat(seenByAlice).contains(alice).doesNotContain(bob);
    }

    /**
     * A page of alice's list must not reveal bob's session through {@code nextCursor}: the cursor is "the id of
     * the last session on the page, or null when none follows" (SPEC §6), and another principal's session is
     * treated as one that does not exist (SPEC §8).
     */
    @Test
    void listCursorsNeverNameAnotherPrincipalsSession() {
        String stem = "cursor-" + UUID.randomUUID();
        String first = stem + "-1";
        String bobs = stem + "-2";
        String last = stem + "-3";
        this.http.postJson(BASE, "{\"id\":\"" + first + "\"}", USER, "alice").expect(201);
        this.http.postJson(BASE, "{\"id\":\"" + bobs + "\"}", USER, "bob").expect(201);
        this.http.postJson(BASE, "{\"id\":\"" + last + "\"}", USER, "alice").expect(201);
        TestHttp.Response response = this.http.get(BASE + "?limit=1&after=" + TestHttp.query(first), USER, "alice");
        JsonNode page = response.expect(200);
        assertThat(response.body()).as("alice's list names bob's session").doesNotContain(bobs);
        assertThat(ids(page)).containsExactly(last);
        assertThat(page.get("nextCursor").isNull()).isTrue();
    }

    /**
     * Using another principal's session id as a list cursor must be answered as for an id that does not exist,
     * or the list is an oracle for which ids exist (SPEC §8).
     */
    @Test
    void listAfterAnotherPrincipalsSessionIsAnsweredAsForAMissingOne() {
        String bobs = uniqueId("oracle-bob");
        this.http.postJson(BASE, "{\"id\":\"" + bobs + "\"}", USER, "bob").expect(201);
        TestHttp.Response missing = this.http.get(BASE + "?after=" + TestHttp.query(uniqueId("oracle-missing")), USER,
                "alice");
        TestHttp.Response existing = this.http.get(BASE + "?after=" + TestHttp.query(bobs), USER, "alice");
        assertThat(existing.status()).as(existing.describe() + " vs " + missing.describe())
            .isEqualTo(missing.status());
    }

    private List<String> walk(String user) {
        List<String> ids = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 1000; pages++) {
            JsonNode page = this.http.get(BASE + "?limit=2" + ((after != null) ? "&after=" + TestHttp.query(after) : ""),
                    USER, user).expect(200);
            ids.addAll(ids(page));
            if (page.get("nextCursor").isNull()) {
                return ids;
            }
            after = page.get("nextCursor").asString();
        }
        throw new AssertionError("The list never ended");
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("sessions").forEach((session) -> ids.add(session.get("id").asString()));
        return ids;
    }

    private static List<Request> requests() {
        return List.of(new Request("GET session", (t, path, h) -> t.http.get(path, h)),
                new Request("PATCH session", (t, path, h) -> t.http.send("PATCH", path, "application/merge-patch+json",
                        "{\"initialized\":true}", h)),
                new Request("DELETE session", (t, path, h) -> t.http.delete(path, h)),
                new Request("GET events", (t, path, h) -> t.http.get(path + "/events", h)),
                new Request("GET events (long-poll)", (t, path, h) -> t.http.get(path + "/events?after=5&waitMs=1000", h)),
                new Request("POST events", (t, path, h) -> t.http.postJson(path + "/events", "{\"data\":2}", h)),
                new Request("POST ephemeral", (t, path, h) -> t.http.postJson(path + "/events",
                        "{\"data\":2,\"ephemeral\":true}", h)),
                new Request("GET latest", (t, path, h) -> t.http.get(path + "/events/latest", h)),
                new Request("DELETE events", (t, path, h) -> t.http.delete(path + "/events?before=2", h)),
                new Request("GET stream", (t, path, h) -> t.http.get(path + "/events/stream",
                        concat(h, "Accept", "text/event-stream"))),
                new Request("GET state", (t, path, h) -> t.http.get(path + "/state", h)),
                new Request("GET state key", (t, path, h) -> t.http.get(path + "/state/k", h)),
                new Request("PUT state key", (t, path, h) -> t.http.putJson(path + "/state/k", "2", h)),
                new Request("DELETE state key", (t, path, h) -> t.http.delete(path + "/state/k", h)));
    }

    private static String[] concat(String[] headers, String... more) {
        String[] all = new String[headers.length + more.length];
        System.arraycopy(headers, 0, all, 0, headers.length);
        System.arraycopy(more, 0, all, headers.length, more.length);
        return all;
    }

    @FunctionalInterface
    interface Call {

        TestHttp.Response call(SecurityTests test, String sessionPath, String[] headers);

    }

    record Request(String name, Call call) {

        TestHttp.Response send(SecurityTests test, String sessionId, String[] headers) {
            return this.call.call(test, sessionPath(sessionId), headers);
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class PrincipalFilterConfiguration {

        /** Names the request's principal after the X-Test-User header, as an authentication filter would. */
        @Bean
        Filter testPrincipalFilter() {
            return (request, response, chain) -> {
                HttpServletRequest http = (HttpServletRequest) request;
                String user = http.getHeader(USER);
                if (user == null) {
                    chain.doFilter(request, response);
                    return;
                }
                Principal principal = () -> user;
                chain.doFilter(new HttpServletRequestWrapper(http) {

                    @Override
                    public Principal getUserPrincipal() {
                        return principal;
                    }

                    @Override
                    public String getRemoteUser() {
                        return user;
                    }

                }, response);
            };
        }

    }

}
