package io.mcpsession.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.awaitility.Awaitility.await;

/**
 * SPEC §3.8: "An expired session behaves exactly like a deleted one for every request" and "it is gone for
 * readers at once" — so it must not hold a {@code max-sessions} slot until the sweeper gets to it. The sweeper
 * here is slow (1 h) so the test sees the time between expiry and sweep.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "mcp.session.max-sessions=1", "mcp.session.timeout=5s", "mcp.session.sweep.interval=1h" })
class ExpiredSessionsLimitTests extends WebTestSupport {

    @Test
    void anExpiredSessionDoesNotHoldASlot() {
        String first = createSession("slot");
        // Within the 5 s timeout of the first (seconds, for a loaded machine): the limit holds while it lives.
        this.http.send("POST", BASE, null, null).expectProblem(429, "MAX_SESSIONS_REACHED");
        await().atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> this.http.get(sessionPath(first)).status() == 404);
        // Gone like a deleted session: its slot is free.
        this.http.send("POST", BASE, null, null).expect(201);
    }

}
