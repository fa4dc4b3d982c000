package io.mcpsession.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code long-poll.max-wait} caps the wait a client asks for (SPEC §3.6), in a context of its own whose cap is
 * short, so that the shared context's can be long.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "mcp.session.long-poll.max-wait=" + LongPollMaxWaitTests.CAP_MS + "ms")
class LongPollMaxWaitTests extends WebTestSupport {

    static final long CAP_MS = 1000;

    @Test
    void waitIsCappedAtMaxWait() {
        String id = createSession("poll-capped");
        long start = System.nanoTime();
        // Uncapped, the poll would outlast the client's 30 s and fail the test.
        TestHttp.Response response = this.http.send(this.http.request(sessionPath(id) + "/events?waitMs=60000")
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build());
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        JsonNode page = response.expect(200);
        assertThat(page.get("events").size()).isZero();
        // Seconds of slack for a loaded machine, and still far below the 60 s asked for.
        assertThat(elapsed).isGreaterThanOrEqualTo(CAP_MS).isLessThan(CAP_MS + 10_000);
    }

}
