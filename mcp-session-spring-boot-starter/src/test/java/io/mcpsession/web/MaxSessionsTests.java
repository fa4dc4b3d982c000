package io.mcpsession.web;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@code mcp.session.max-sessions} (SPEC §3.9): creating more fails with {@code 429 MAX_SESSIONS_REACHED}.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "mcp.session.max-sessions=2")
class MaxSessionsTests extends WebTestSupport {

    @Test
    void creatingBeyondMaxSessionsIsRefused() {
        String first = createSession("max-1");
        createSession("max-2");
        this.http.postJson(BASE, "{\"id\":\"" + uniqueId("max-3") + "\"}").expectProblem(429, "MAX_SESSIONS_REACHED");
        this.http.send("POST", BASE, null, null).expectProblem(429, "MAX_SESSIONS_REACHED");
        this.http.delete(sessionPath(first)).expect(204);
        createSession("max-4");
        this.http.send("POST", BASE, null, null).expectProblem(429, "MAX_SESSIONS_REACHED");
    }

}
