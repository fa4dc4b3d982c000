package io.mcpsession.web;

import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.mcpsession.redis.RedisTestServer;
import io.mcpsession.store.SessionStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On Redis, a session's keys carry its id with braces escaped ({@code a{b} becomes the tag {@code {a%7Bb}}). An id
 * holding {@code %} once named the same keys: {@code GET {base}/a%257Bb} read the session created as {@code a{b},
 * and deleting it left the session registry inconsistent. Such ids are refused at the API before the store, and
 * the store's escaping is one-to-one for any string.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "mcp.session.store.type=redis")
@DirtiesContext
class RedisSessionIdAliasingTests extends WebTestSupport {

    private static final String KEY_PREFIX = RedisTestServer.newKeyPrefix();

    @Autowired
    private SessionStore store;

    @DynamicPropertySource
    static void redis(DynamicPropertyRegistry registry) {
        registry.add("spring.data.redis.url", RedisTestServer::url);
        registry.add("mcp.session.store.redis.key-prefix", () -> KEY_PREFIX);
    }

    @AfterAll
    static void deleteKeys() {
        RedisTestServer.deleteKeys(KEY_PREFIX);
    }

    @Test
    void theEscapedFormOfAnIdNamesNoSessionThroughTheApi() {
        String stem = "alias-" + UUID.randomUUID();
        String braced = stem + "{b}";
        String escaped = stem + "%7Bb%7D";
        this.http.postJson(BASE, "{\"id\":\"" + braced + "\"}").expect(201);
        append(braced, "{\"id\":\"e1\",\"data\":1}");

        this.http.get(sessionPath(escaped)).expectProblem(400, "INVALID_SESSION_ID");
        this.http.get(sessionPath(escaped) + "/events").expectProblem(400, "INVALID_SESSION_ID");
        this.http.postJson(sessionPath(escaped) + "/events", "{\"data\":2}").expectProblem(400, "INVALID_SESSION_ID");
        this.http.delete(sessionPath(escaped)).expectProblem(400, "INVALID_SESSION_ID");
        this.http.postJson(BASE, "{\"id\":\"" + escaped + "\"}").expectProblem(400, "INVALID_SESSION_ID");

        // The real session is whole, listed once, and goes cleanly.
        assertThat(this.http.get(sessionPath(braced)).expect(200).get("id").asString()).isEqualTo(braced);
        JsonNode events = readEvents(braced, "");
        assertThat(events.get("latest").asLong()).isEqualTo(1);
        assertThat(listedIds(this.store)).containsOnlyOnce(braced).noneMatch((id) -> id.contains("%"));
        this.http.delete(sessionPath(braced)).expect(204);
        this.http.get(sessionPath(braced)).expectProblem(404, "SESSION_NOT_FOUND");
        assertThat(listedIds(this.store)).doesNotContain(braced);
    }

    /** The store itself, asked directly for the escaped form, finds nothing and deletes nothing. */
    @Test
    void theStoreNeverTakesTheEscapedFormForTheId() {
        String stem = "alias-store-" + UUID.randomUUID();
        String braced = stem + "{b";
        this.http.postJson(BASE, "{\"id\":\"" + braced + "\"}").expect(201);
        append(braced, "{\"data\":1}");

        assertThat(this.store.find(stem + "%7Bb")).isEmpty();
        assertThat(this.store.delete(stem + "%7Bb")).isFalse();

        assertThat(this.store.find(braced)).isPresent();
        assertThat(readEvents(braced, "").get("latest").asLong()).isEqualTo(1);
        assertThat(listedIds(this.store)).containsOnlyOnce(braced);
        assertThat(this.store.delete(braced)).isTrue();
        assertThat(listedIds(this.store)).doesNotContain(braced);
    }


}
