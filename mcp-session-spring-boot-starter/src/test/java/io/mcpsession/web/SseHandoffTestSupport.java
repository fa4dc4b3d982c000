package io.mcpsession.web;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The replay-to-live handoff under concurrent appends ({@link SseHandoffScenario}) on one store, through real
 * HTTP: on one instance, and on two instances sharing the store (writers and streams on both). Each subclass
 * names its store and keeps its data apart (a table or key prefix of its own), so parallel runs do not collide.
 */
@Timeout(180)
@TestInstance(Lifecycle.PER_CLASS)
abstract class SseHandoffTestSupport {

    private ConfigurableApplicationContext a;

    private ConfigurableApplicationContext b;

    /** The arguments that put an instance on this test's store; the same for both instances. */
    abstract List<String> storeArguments();

    /** Removes what the test stored, once both instances have stopped. */
    abstract void deleteStoredData();

    @BeforeAll
    void startBoth() {
        this.a = start();
        this.b = start();
    }

    @AfterAll
    void stopBoth() {
        try {
            if (this.a != null) {
                this.a.close();
            }
            if (this.b != null) {
                this.b.close();
            }
        }
        finally {
            deleteStoredData();
        }
    }

    @Test
    void streamsOpenedMidFlightSeeEverySeqOnceInOrder() throws Exception {
        try (SseHandoffScenario scenario = new SseHandoffScenario(List.of(http(this.a)))) {
            scenario.run();
        }
    }

    @Test
    void streamsOnEitherInstanceSeeEverySeqOnceInOrderWhileBothAppend() throws Exception {
        try (SseHandoffScenario scenario = new SseHandoffScenario(List.of(http(this.a), http(this.b)))) {
            scenario.run();
        }
    }

    /** Arguments, as an operator would pass them: they win over the test resources' in-memory default. */
    private ConfigurableApplicationContext start() {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0",
                "--mcp.session.sse.keepalive=" + WebTestSupport.KEEPALIVE_MS + "ms",
                "--mcp.session.sse.retry=" + WebTestSupport.RETRY_MS + "ms"));
        arguments.addAll(storeArguments());
        return new SpringApplicationBuilder(WebTestApplication.class).run(arguments.toArray(String[]::new));
    }

    /** The arguments of a JDBC store on {@code url} whose tables carry {@code tablePrefix}. */
    static List<String> jdbcArguments(String url, String tablePrefix) {
        return List.of("--mcp.session.store.type=jdbc", "--spring.datasource.url=" + url,
                "--mcp.session.store.jdbc.table-prefix=" + tablePrefix, "--mcp.session.store.jdbc.initialize-schema=always");
    }

    private static TestHttp http(ConfigurableApplicationContext context) {
        return new TestHttp(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
    }

}
