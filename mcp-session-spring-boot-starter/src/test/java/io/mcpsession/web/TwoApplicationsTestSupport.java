package io.mcpsession.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.mcpsession.jdbc.JdbcPlatform;
import io.mcpsession.jdbc.JdbcSessionStore;
import io.mcpsession.jdbc.TestDatabases;
import io.mcpsession.observability.ObservedSessionStore;
import io.mcpsession.store.SessionStore;
import io.mcpsession.web.EventStreamParser.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two applications with the HTTP API on two ports sharing one PostgreSQL, as two instances behind a load balancer
 * without sticky routing: a session created through A is served by B, and a long-poll and an SSE stream on B
 * answer an append made through A promptly. SSE keepalives are an hour apart, so no keepalive re-reads the log.
 */
@Timeout(120)
@TestInstance(Lifecycle.PER_CLASS)
abstract class TwoApplicationsTestSupport {

    /**
     * How soon a reader on one instance must have the other's append: far below both the poll's 30 s wait (whose
     * end would answer with the same page) and, with notifications, the hour between position checks, so only a
     * wake-up explains it; and seconds above what a loaded 2-core machine needs.
     */
    static final Duration PROMPTLY = Duration.ofSeconds(15);

    /** How long a test waits for its own set-up (a poll parked, a stream registered): ends when it is done. */
    static final Duration SET_UP = Duration.ofSeconds(20);

    private final String prefix = TestDatabases.newTablePrefix();

    private ConfigurableApplicationContext a;

    private ConfigurableApplicationContext b;

    private TestHttp httpA;

    private TestHttp httpB;

    /** How the instances learn of each other's changes. */
    abstract List<String> wakeUpArguments();

    /** Whether the instances listen for notifications. */
    abstract boolean notifies();

    @BeforeAll
    void startBoth() {
        this.a = start();
        this.b = start();
        this.httpA = new TestHttp(port(this.a));
        this.httpB = new TestHttp(port(this.b));
        await().atMost(Duration.ofSeconds(20)).until(
                () -> jdbcStore(this.a).listening() == notifies() && jdbcStore(this.b).listening() == notifies());
    }

    @AfterAll
    void stopBoth() {
        if (this.a != null) {
            this.a.close();
        }
        if (this.b != null) {
            this.b.close();
        }
        TestDatabases.dropTables(TestDatabases.dataSource(JdbcPlatform.POSTGRESQL), this.prefix);
    }

    @Test
    void aSessionCreatedThroughOneIsServedByTheOther() {
        String id = WebTestSupport.uniqueId("handoff");
        this.httpA.postJson(WebTestSupport.BASE, "{\"id\":\"" + id + "\",\"metadata\":{\"user\":\"ann\"}}")
            .expect(201);

        assertThat(this.httpB.get(WebTestSupport.sessionPath(id)).expect(200).at("/metadata/user").asString())
            .isEqualTo("ann");
        this.httpB.postJson(WebTestSupport.sessionPath(id) + "/events", "{\"data\":1}").expect(201);
        assertThat(this.httpA.get(WebTestSupport.sessionPath(id) + "/events").expect(200).get("latest").asLong())
            .isEqualTo(1);
    }

    @Test
    void aLongPollOnOneAnswersAnAppendThroughTheOtherAtOnce() {
        String id = WebTestSupport.uniqueId("poll");
        this.httpA.postJson(WebTestSupport.BASE, "{\"id\":\"" + id + "\"}").expect(201);
        CompletableFuture<TestHttp.Response> poll = this.httpB.sendAsync(this.httpB
            .request(WebTestSupport.sessionPath(id) + "/events?after=0&waitMs=30000")
            .timeout(Duration.ofSeconds(45))
            .GET()
            .build());
        SessionStreams streamsOfB = this.b.getBean(SessionStreams.class);
        await().atMost(SET_UP).until(() -> streamsOfB.waitingPolls() == 1);

        long start = System.nanoTime();
        this.httpA.postJson(WebTestSupport.sessionPath(id) + "/events", "{\"id\":\"wake\",\"data\":\"from a\"}")
            .expect(201);
        JsonNode page = poll.join().expect(200);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
        assertThat(page.at("/events/0/id").asString()).isEqualTo("wake");
        assertThat(page.at("/events/0/seq").asLong()).isEqualTo(1);
    }

    @Test
    void anSseStreamOnOneDeliversAnAppendThroughTheOtherAtOnce() {
        String id = WebTestSupport.uniqueId("stream");
        this.httpA.postJson(WebTestSupport.BASE, "{\"id\":\"" + id + "\"}").expect(201);
        SessionStreams streamsOfB = this.b.getBean(SessionStreams.class);
        int before = streamsOfB.activeStreams();
        try (SseConnection stream = this.httpB.stream(WebTestSupport.sessionPath(id) + "/events/stream")) {
            assertThat(stream.status()).isEqualTo(200);
            await().atMost(SET_UP).until(() -> streamsOfB.activeStreams() > before);

            long start = System.nanoTime();
            this.httpA.postJson(WebTestSupport.sessionPath(id) + "/events", "{\"id\":\"live\",\"data\":2}").expect(201);
            Event event = stream.nextEvent(PROMPTLY);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
            assertThat(TestHttp.parse(event.data()).get("id").asString()).isEqualTo("live");
            this.httpA.delete(WebTestSupport.sessionPath(id)).expect(204);
            Event closed = stream.nextEvent(PROMPTLY);
            assertThat(closed.type()).isEqualTo("session.closed");
            assertThat(TestHttp.parse(closed.data()).get("reason").asString()).isEqualTo("deleted");
        }
    }

    /** Arguments, as an operator would pass them: they win over the test resources' in-memory default. */
    private ConfigurableApplicationContext start() {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0",
                "--spring.datasource.url=" + TestDatabases.jdbcUrl(JdbcPlatform.POSTGRESQL),
                "--mcp.session.store.type=jdbc", "--mcp.session.store.jdbc.table-prefix=" + this.prefix,
                "--mcp.session.store.jdbc.initialize-schema=always", "--mcp.session.long-poll.max-wait=30s",
                "--mcp.session.sse.keepalive=1h"));
        arguments.addAll(wakeUpArguments());
        return new SpringApplicationBuilder(WebTestApplication.class).run(arguments.toArray(String[]::new));
    }

    private static JdbcSessionStore jdbcStore(ConfigurableApplicationContext context) {
        SessionStore store = context.getBean(SessionStore.class);
        return (JdbcSessionStore) ((store instanceof ObservedSessionStore observed) ? observed.delegate() : store);
    }

    private static int port(ConfigurableApplicationContext context) {
        return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
    }

}
