package io.mcpsession.web;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.mcpsession.core.EventQuery;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.memory.InMemorySessionStore;
import io.mcpsession.web.EventStreamParser.Event;
import io.mcpsession.web.EventStreamParser.Item;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stream whose pump meets any {@code Throwable}, an {@code OutOfMemoryError} included, ends with a reason
 * ({@code event: stream.ended}, no {@code id:}) instead of staying open with nothing but keepalives; the client
 * resumes from its last event id. The store here fails reads of {@code oom-…} sessions past their first event as a
 * heap would on a page too large for it.
 */
@SpringBootTest(classes = { WebTestApplication.class, StreamFailureTests.FailingStore.class },
        webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "mcp.session.sse.keepalive=" + WebTestSupport.KEEPALIVE_MS + "ms")
class StreamFailureTests extends WebTestSupport {

    @Test
    void aPumpThatRunsOutOfMemoryEndsItsStreamWithAReason() {
        String id = createSession("oom");
        append(id, "{\"data\":1}");

        try (SseConnection stream = this.http.stream(sessionPath(id) + "/events/stream")) {
            Event first = stream.nextEvent(ITEM_TIMEOUT);
            assertThat(first.id()).endsWith(":1");
            append(id, "{\"data\":2}");
            List<Item> rest = stream.itemsUntilEnd(Duration.ofSeconds(20));
            Event last = (Event) rest.stream().filter(Event.class::isInstance).reduce((a, b) -> b).orElseThrow();
            assertThat(last.type()).isEqualTo("stream.ended");
            assertThat(last.id()).as("the resume point stays at the last event").isNull();
            assertThat(TestHttp.parse(last.data()).get("reason").asString()).isEqualTo("failed");
        }
        // The store still serves everything else.
        assertThat(readEvents(id, "?after=0&limit=1").get("events")).hasSize(1);
    }

    @Configuration(proxyBeanMethods = false)
    static class FailingStore {

        @Bean(destroyMethod = "close")
        SessionStore sessionStore() {
            SessionStore delegate = new InMemorySessionStore(StoreSettings.defaults());
            return (SessionStore) Proxy.newProxyInstance(SessionStore.class.getClassLoader(),
                    new Class<?>[] { SessionStore.class }, (proxy, method, args) -> {
                        if (method.getName().equals("read") && ((String) args[0]).startsWith("oom-")
                                && ((EventQuery) args[1]).after() >= 1) {
                            throw new OutOfMemoryError("Java heap space");
                        }
                        try {
                            return method.invoke(delegate, args);
                        }
                        catch (InvocationTargetException ex) {
                            throw ex.getCause();
                        }
                    });
        }

    }

}
