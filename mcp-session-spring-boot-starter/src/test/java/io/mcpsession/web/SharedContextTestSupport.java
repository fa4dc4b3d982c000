package io.mcpsession.web;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The shared context of most HTTP tests: the in-memory store with small keepalive, retry and long-poll values.
 * Subclasses share one cached application context; each test uses its own sessions.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "mcp.session.sse.keepalive=" + WebTestSupport.KEEPALIVE_MS + "ms",
                "mcp.session.sse.retry=" + WebTestSupport.RETRY_MS + "ms",
                "mcp.session.long-poll.max-wait=" + WebTestSupport.MAX_WAIT_MS + "ms" })
abstract class SharedContextTestSupport extends WebTestSupport {

}
