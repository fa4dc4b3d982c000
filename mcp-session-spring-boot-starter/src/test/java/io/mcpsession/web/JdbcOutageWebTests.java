package io.mcpsession.web;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.mcpsession.jdbc.JdbcPlatform;
import io.mcpsession.jdbc.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP API on the JDBC store (PostgreSQL) while the database cannot be reached, through a proxy the test cuts:
 * requests answer {@code 503 STORE_UNAVAILABLE} within the pool's connection timeout (2 s here; HikariCP's default
 * would hold each request 30 s), not after it, and the API recovers by itself once the database is back, with
 * nothing acknowledged lost.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "mcp.session.store.type=jdbc", "mcp.session.store.jdbc.initialize-schema=always",
                "spring.datasource.hikari.connection-timeout=2000",
                "spring.datasource.hikari.validation-timeout=1000" })
@DirtiesContext
class JdbcOutageWebTests extends WebTestSupport {

    /** Far beyond the 2 s timeout on a loaded machine, far below HikariCP's default of 30 s. */
    private static final Duration OUTAGE_ANSWER = Duration.ofSeconds(15);

    private static final URI DATABASE = URI.create(TestDatabases.jdbcUrl(JdbcPlatform.POSTGRESQL).substring(5));

    private static final TcpProxy proxy = new TcpProxy(DATABASE.getHost(), DATABASE.getPort());

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:postgresql://127.0.0.1:" + proxy.port()
                + DATABASE.getRawPath() + ((DATABASE.getRawQuery() != null) ? "?" + DATABASE.getRawQuery() : ""));
        registry.add("mcp.session.store.jdbc.table-prefix", TestDatabases::newTablePrefix);
    }

    @AfterAll
    static void closeProxy() {
        proxy.close();
    }

    @Test
    void whileTheDatabaseIsUnreachableTheApiAnswers503PromptlyAndRecoversByItself() {
        String id = createSession("outage");
        JsonNode before = append(id, "{\"id\":\"before\",\"data\":1}");

        proxy.cut();
        try {
            long start = System.nanoTime();
            this.http.postJson(sessionPath(id) + "/events", "{\"data\":2}").expectProblem(503, "STORE_UNAVAILABLE");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(OUTAGE_ANSWER);

            start = System.nanoTime();
            this.http.get(sessionPath(id) + "/events").expectProblem(503, "STORE_UNAVAILABLE");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(OUTAGE_ANSWER);
        }
        finally {
            proxy.restore();
        }

        await().atMost(Duration.ofSeconds(45)).until(() -> this.http.get(sessionPath(id)).status() == 200);
        JsonNode events = readEvents(id, "");
        assertThat(epochOf(events)).isEqualTo(before.get("epoch").asString());
        assertThat(events.get("events")).singleElement()
            .satisfies((event) -> assertThat(event.get("id").asString()).isEqualTo("before"));
        assertThat(append(id, "{\"data\":3}").get("seq").asLong()).isEqualTo(2);
    }

}
