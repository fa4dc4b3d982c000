package io.mcpsession.web;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

import io.mcpsession.web.EventStreamParser.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §8: a session records its creator's principal, and every request about it by anyone else is answered
 * exactly as for a session that does not exist. The principal comes from a servlet filter that names it after the
 * {@code X-Test-User} header (standing in for Spring Security).
 */
@SpringBootTest(classes = { WebTestApplication.class, SecurityTests.PrincipalFilterConfiguration.class },
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "mcp.session.sse.keepalive=200ms", "mcp.session.security.admin-authority=ops" })
class SecurityTests extends WebTestSupport {

    private static final String USER = "X-Test-User";

    /** Grants the request's user an authority in Spring Security's context. */
    private static final String AUTHORITY = "X-Test-Authority";

    @Autowired
    private SessionStreams streams;

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
        String alice = create(uniqueId("list-alice"), "alice");
        String bob = create(uniqueId("list-bob"), "bob");
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
        String first = create(stem + "-1", "alice");
        String bobs = create(stem + "-2", "bob");
        String last = create(stem + "-3", "alice");
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
        String bobs = create(uniqueId("oracle-bob"), "bob");
        TestHttp.Response missing = this.http.get(BASE + "?after=" + TestHttp.query(uniqueId("oracle-missing")), USER,
                "alice");
        TestHttp.Response existing = this.http.get(BASE + "?after=" + TestHttp.query(bobs), USER, "alice");
        assertThat(existing.status()).as(existing.describe() + " vs " + missing.describe())
            .isEqualTo(missing.status());
    }

    /**
     * Creating an id another principal holds answers as for a free id: the caller gets a session of its own
     * under that id, and the other's session is untouched (SPEC §8: no create reveals another's session).
     */
    @Test
    void choosingAnIdAnotherPrincipalHoldsRevealsNothing() {
        String chosen = uniqueId("taken");
        JsonNode alices = this.http.postJson(BASE, "{\"id\":\"" + chosen + "\",\"metadata\":{\"v\":1}}", USER,
                "alice").expect(201);
        this.http.postJson(sessionPath(chosen) + "/events", "{\"data\":\"alice's\"}", USER, "alice").expect(201);
        String free = uniqueId("free");

        TestHttp.Response onTaken = this.http.postJson(BASE, "{\"id\":\"" + chosen + "\"}", USER, "bob");
        TestHttp.Response onFree = this.http.postJson(BASE, "{\"id\":\"" + free + "\"}", USER, "bob");
        assertThat(onTaken.status()).isEqualTo(onFree.status()).isEqualTo(201);
        JsonNode bobs = onTaken.expect(201);
        assertThat(bobs.get("id").asString()).startsWith(chosen + "~").isNotEqualTo(alices.get("id").asString());
        assertThat(bobs.get("principal").asString()).isEqualTo("bob");
        assertThat(onTaken.header("Location")).endsWith("/" + bobs.get("id").asString());

        // Each reaches its own session by the id it chose; a second create of it is the caller's own conflict.
        assertThat(this.http.get(sessionPath(chosen) + "/events", USER, "bob").expect(200).get("events")).isEmpty();
        assertThat(this.http.get(sessionPath(chosen), USER, "alice").expect(200).get("metadata"))
            .isEqualTo(TestHttp.parse("{\"v\":1}"));
        this.http.postJson(BASE, "{\"id\":\"" + chosen + "\"}", USER, "bob").expectProblem(409, "SESSION_EXISTS");
        this.http.postJson(BASE, "{\"id\":\"" + chosen + "\"}", USER, "alice").expectProblem(409, "SESSION_EXISTS");
        assertThat(this.http.get(sessionPath(alices.get("id").asString()) + "/events", USER, "alice").expect(200)
            .at("/events/0/data").asString()).isEqualTo("alice's");
    }

    @Test
    void idsShapedLikeAPrincipalsNamespaceAreReservedForThem() {
        String alices = create(uniqueId("shape"), "alice");
        this.http.postJson(BASE, "{\"id\":\"" + alices + "\"}").expectProblem(400, "INVALID_SESSION_ID");
        this.http.postJson(BASE, "{\"id\":\"" + "x".repeat(112) + "\"}", USER, "alice")
            .expectProblem(400, "INVALID_SESSION_ID");
        this.http.postJson(BASE, "{\"id\":\"" + "x".repeat(112) + "\"}").expect(201);
    }

    @Test
    void theFeedShowsOnlyTheCallersEntriesInPagesAndStreams() {
        long start = this.http.get(BASE + "/feed?limit=1", USER, "ops", AUTHORITY, "ops").expect(200)
            .get("latest").asLong();
        try (SseConnection bobsStream = this.http.stream(BASE + "/feed/stream?after=" + start, USER, "bob")) {
            assertThat(bobsStream.status()).isEqualTo(200);
            String alice = create(uniqueId("feed-alice"), "alice");
            this.http.postJson(sessionPath(alice) + "/events", "{\"data\":\"alice's\"}", USER, "alice").expect(201);
            this.http.delete(sessionPath(alice), USER, "alice").expect(204);
            String bob = create(uniqueId("feed-bob"), "bob");
            this.http.postJson(sessionPath(bob) + "/events", "{\"data\":\"bob's\"}", USER, "bob").expect(201);

            // Live: alice's entries came first and never reach bob.
            Event first = bobsStream.nextEvent(ITEM_TIMEOUT);
            assertThat(first.type()).isEqualTo("session.created");
            assertThat(TestHttp.parse(first.data()).get("sessionId").asString()).isEqualTo(bob);
            Event second = bobsStream.nextEvent(ITEM_TIMEOUT);
            assertThat(second.type()).isEqualTo("event.appended");
            assertThat(second.data()).contains("bob's").doesNotContain("alice");

            JsonNode bobsPage = this.http.get(BASE + "/feed?after=" + start, USER, "bob").expect(200);
            assertThat(feedSessionIds(bobsPage)).containsExactly(bob, bob);
            assertThat(bobsPage.get("nextCursor").asLong()).isEqualTo(bobsPage.get("latest").asLong());
            JsonNode alicesPage = this.http.get(BASE + "/feed?after=" + start, USER, "alice").expect(200);
            assertThat(feedSessionIds(alicesPage)).containsExactly(alice, alice, alice);
            assertThat(alicesPage.at("/entries/2/type").asString()).isEqualTo("session.deleted");
            assertThat(this.http.get(BASE + "/feed?sessionId=" + TestHttp.query(alice), USER, "bob").expect(200)
                .get("entries")).isEmpty();
            assertThat(this.http.get(BASE + "/feed?after=" + start).expect(200).get("entries")).isEmpty();
            JsonNode all = this.http.get(BASE + "/feed?after=" + start, USER, "ops", AUTHORITY, "ops").expect(200);
            assertThat(feedSessionIds(all)).containsExactly(alice, alice, alice, bob, bob);
        }
    }

    @Test
    void aFeedLongPollWaitsForTheCallersOwnEntries() throws Exception {
        String bob = create(uniqueId("poll-bob"), "bob");
        long latest = this.http.get(BASE + "/feed?limit=1", USER, "ops", AUTHORITY, "ops").expect(200)
            .get("latest").asLong();
        CompletableFuture<TestHttp.Response> poll = CompletableFuture
            .supplyAsync(() -> this.http.get(BASE + "/feed?after=" + latest + "&waitMs=20000", USER, "bob"));
        await().atMost(ITEM_TIMEOUT).until(() -> this.streams.waitingPolls() > 0);
        String alice = create(uniqueId("poll-alice"), "alice");
        this.http.postJson(sessionPath(alice) + "/events", "{\"data\":1}", USER, "alice").expect(201);
        await().atMost(ITEM_TIMEOUT).until(() -> this.http.get(BASE + "/feed?limit=1", USER, "ops", AUTHORITY, "ops")
            .expect(200).get("latest").asLong() >= latest + 2);
        assertThat(poll).as("alice's entries do not answer bob's long-poll").isNotDone();
        this.http.postJson(sessionPath(bob) + "/events", "{\"data\":\"bob's\"}", USER, "bob").expect(201);

        JsonNode page = poll.get(30, TimeUnit.SECONDS).expect(200);
        assertThat(feedSessionIds(page)).containsExactly(bob);
        assertThat(page.at("/entries/0/event/data").asString()).isEqualTo("bob's");
    }

    @Test
    void operatorsSeeAndManageEverySession() {
        String alice = create(uniqueId("ops-alice"), "alice");
        this.http.postJson(sessionPath(alice) + "/events", "{\"data\":1}", USER, "alice").expect(201);
        String[] ops = { USER, "ops", AUTHORITY, "ops" };
        assertThat(this.http.get(sessionPath(alice), ops).expect(200).get("principal").asString()).isEqualTo("alice");
        assertThat(this.http.get(sessionPath(alice) + "/events", ops).expect(200).get("events")).hasSize(1);
        assertThat(walkAs(ops)).contains(alice);
        // Without the authority the same user is just another principal.
        this.http.get(sessionPath(alice), USER, "ops").expectProblem(404, "SESSION_NOT_FOUND");
        assertThat(walkAs(USER, "ops")).doesNotContain(alice);
        this.http.delete(sessionPath(alice), ops).expect(204);
        this.http.get(sessionPath(alice), USER, "alice").expectProblem(404, "SESSION_NOT_FOUND");
    }

    /** Creates a session with a chosen id as {@code user} and returns its stored id. */
    private String create(String chosenId, String user) {
        return this.http.postJson(BASE, "{\"id\":\"" + chosenId + "\"}", USER, user).expect(201).get("id").asString();
    }

    private static List<String> feedSessionIds(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("entries").forEach((entry) -> ids.add(entry.get("sessionId").asString()));
        return ids;
    }

    private List<String> walk(String user) {
        return walkAs(USER, user);
    }

    private List<String> walkAs(String... headers) {
        List<String> ids = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 1000; pages++) {
            JsonNode page = this.http.get(BASE + "?limit=2" + ((after != null) ? "&after=" + TestHttp.query(after) : ""),
                    headers).expect(200);
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
                String authority = http.getHeader(AUTHORITY);
                if (authority != null) {
                    SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken
                        .authenticated(user, null, List.of(new SimpleGrantedAuthority(authority))));
                }
                try {
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
                }
                finally {
                    SecurityContextHolder.clearContext();
                }
            };
        }

    }

}
