package io.mcpsession.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.web.server.LocalServerPort;

import io.mcpsession.core.SessionPage;
import io.mcpsession.store.SessionStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every HTTP test shares: the server's port, a client for it and a few helpers. Subclasses bring their own
 * {@code @SpringBootTest}; most extend {@link SharedContextTestSupport}.
 */
@Timeout(60)
abstract class WebTestSupport {

    static final long KEEPALIVE_MS = 200;

    static final long RETRY_MS = 1500;

    /**
     * The shared context's {@code long-poll.max-wait}: long, so that a poll answered by a wake-up is told from
     * one answered by its wait running out however slow a loaded machine is (the cap itself is tested in a
     * context of its own, {@link LongPollMaxWaitTests}).
     */
    static final long MAX_WAIT_MS = 30_000;

    static final String BASE = "/mcp-sessions";

    /** How long a test waits for one SSE item before it fails. */
    static final Duration ITEM_TIMEOUT = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    TestHttp http;

    @BeforeEach
    void setUpHttp() {
        this.http = new TestHttp(this.port);
    }

    static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    /** Every session id the store lists (anonymous ones), page after page, as listed. */
    static List<String> listedIds(SessionStore store) {
        List<String> ids = new ArrayList<>();
        String after = null;
        do {
            SessionPage page = store.list(after, 1000);
            page.sessions().forEach((session) -> ids.add(session.id()));
            after = page.nextCursor();
        }
        while (after != null);
        return ids;
    }

    static String sessionPath(String id) {
        return BASE + "/" + TestHttp.segment(id);
    }

    /** Creates a session with a caller-chosen unique id and returns the id. */
    String createSession(String prefix) {
        String id = uniqueId(prefix);
        this.http.postJson(BASE, "{\"id\":\"" + id + "\"}").expect(201);
        return id;
    }

    /** Appends one event and returns the stored event. */
    JsonNode append(String sessionId, String eventJson) {
        TestHttp.Response response = this.http.postJson(sessionPath(sessionId) + "/events", eventJson);
        assertThat(response.status()).as(response.describe()).isIn(200, 201);
        return response.json();
    }

    JsonNode readEvents(String sessionId, String query) {
        return this.http.get(sessionPath(sessionId) + "/events" + query).expect(200);
    }

    static String epochOf(JsonNode node) {
        return node.get("epoch").asString();
    }

}
