package io.mcpsession.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.ResetReason;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.tck.RecordingSessionListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code FLUSHALL} between appends, on a Redis of the test's own ({@link OwnRedisServer}): a reader holding a
 * cursor of the old history gets {@code reset} with reason {@code epoch}, never new events aliased onto its old
 * seqs, and listeners hear that the session ended although no hint said so.
 */
@Timeout(120)
class RedisFlushTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static OwnRedisServer server;

    private static LettuceConnectionFactory connectionFactory;

    private RedisSessionStore store;

    @BeforeAll
    static void startServer() {
        server = OwnRedisServer.start();
        connectionFactory = RedisTestServer.newConnectionFactory(server.url(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stopServer() {
        connectionFactory.destroy();
        server.close();
    }

    @BeforeEach
    void startEmpty() {
        assertThat(server.command("FLUSHALL")).isEqualTo("+OK");
    }

    @AfterEach
    void closeStore() {
        this.store.close();
    }

    @Test
    void anOldCursorAfterAFlushIsAnEpochResetNeverAliasedOntoNewEvents() {
        this.store = new RedisSessionStore(connectionFactory, StoreSettings.defaults(), "mcp:");
        this.store.create(NewSession.withId("flushed"));
        this.store.appendAll("flushed", List.of(NewEvent.of("old-1", "message", "1"),
                NewEvent.of("old-2", "message", "2"), NewEvent.of("old-3", "message", "3")));
        String oldEpoch = this.store.position("flushed").epoch();

        assertThat(server.command("FLUSHALL")).isEqualTo("+OK");

        assertThat(this.store.find("flushed")).isEmpty();
        McpSessionException append = catchThrowableOfType(McpSessionException.class,
                () -> this.store.append("flushed", NewEvent.of("lost", "message", "4")));
        assertThat(append.code()).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
        this.store.create(NewSession.withId("flushed"));
        for (int i = 1; i <= 5; i++) {
            this.store.append("flushed", NewEvent.of("new-" + i, "message", Integer.toString(i)));
        }

        EventPage page = this.store.read("flushed", EventQuery.after(3).withEpoch(oldEpoch));
        assertThat(page.epoch()).isNotEqualTo(oldEpoch);
        assertThat(page.reset()).isTrue();
        assertThat(page.resetReason()).isEqualTo(ResetReason.EPOCH);
        assertThat(page.events()).extracting(EventRecord::id)
            .containsExactly("new-1", "new-2", "new-3", "new-4", "new-5");
        assertThat(page.events()).extracting(EventRecord::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void anOldFeedCursorAfterAFlushIsAnEpochReset() {
        this.store = new RedisSessionStore(connectionFactory, StoreSettings.defaults(), "mcp:");
        this.store.create(NewSession.withId("before"));
        this.store.append("before", NewEvent.of("message", "1"));
        await().atMost(WAIT).until(() -> this.store.readFeed(FeedQuery.after(0)).latest() == 2);
        String oldEpoch = this.store.readFeed(FeedQuery.after(0)).epoch();

        assertThat(server.command("FLUSHALL")).isEqualTo("+OK");
        this.store.create(NewSession.withId("after"));
        this.store.append("after", NewEvent.of("message", "1"));
        this.store.append("after", NewEvent.of("message", "2"));

        await().atMost(WAIT).until(() -> this.store.readFeed(FeedQuery.after(0)).latest() == 3);
        FeedPage page = this.store.readFeed(FeedQuery.after(2).withEpoch(oldEpoch));
        assertThat(page.epoch()).isNotEqualTo(oldEpoch);
        assertThat(page.reset()).isTrue();
        assertThat(page.resetReason()).isEqualTo(ResetReason.EPOCH);
        assertThat(page.entries()).extracting(FeedEntry::seq).containsExactly(1L, 2L, 3L);
        assertThat(page.entries()).extracting(FeedEntry::sessionId).containsOnly("after");
    }

    @Test
    void listenersHearThatAFlushedSessionEndedWithoutAnyHint() {
        this.store = new RedisSessionStore(connectionFactory, StoreSettings.defaults(), "mcp:",
                Clock.systemUTC(), Duration.ofMillis(200));
        this.store.create(NewSession.withId("listened"));
        RecordingSessionListener listener = new RecordingSessionListener();
        this.store.subscribe("listened", listener);

        assertThat(server.command("FLUSHALL")).isEqualTo("+OK");

        await().atMost(WAIT).untilAsserted(() -> assertThat(listener.closed).containsExactly(CloseReason.DELETED));
    }

}
