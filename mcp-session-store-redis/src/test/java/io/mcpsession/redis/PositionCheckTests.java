package io.mcpsession.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.store.ListenerRegistry;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.Subscription;
import io.mcpsession.tck.MutableClock;
import io.mcpsession.tck.RecordingSessionListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The position check on its own, one check at a time: an instance that never hears a hint (its fan-out is not
 * subscribed to any) still reports what moved in the store, once, and nothing that a hint already reported.
 */
class PositionCheckTests {

    private final MutableClock clock = MutableClock.startingNow();

    private final String prefix = RedisTestServer.newKeyPrefix();

    private final RedisSessionStore writer = new RedisSessionStore(RedisTestServer.connectionFactory(),
            StoreSettings.defaults().withTimeout(Duration.ofMinutes(1)), this.prefix, this.clock);

    private final Fanout fanout = new Fanout(new ListenerRegistry());

    private final PositionCheck check = new PositionCheck(new StoreConnection(RedisTestServer.connectionFactory()),
            new RedisKeys(this.prefix), this.fanout, this.clock, Duration.ofHours(1));

    private final RecordingSessionListener listener = new RecordingSessionListener();

    @AfterEach
    void closeAndDeleteKeys() {
        this.check.close();
        this.writer.close();
        RedisTestServer.deleteKeys(this.prefix);
    }

    private void listen(String sessionId) {
        this.fanout.listeners().subscribe(sessionId, this.listener);
    }

    @Test
    void eventsNoHintReportedAreReportedOnce() {
        this.writer.create(NewSession.withId("s"));
        listen("s");
        this.check.check();
        assertThat(this.listener.heardAnything()).isFalse();

        this.writer.appendAll("s", List.of(NewEvent.of("message", "1"), NewEvent.of("message", "2")));
        this.check.check();
        this.check.check();

        assertThat(this.listener.appendedCalls).hasValue(1);
        assertThat(this.listener.latest).hasValue(2);
    }

    @Test
    void aNewListenerHearsWhatIsThereAtTheFirstCheck() {
        this.writer.create(NewSession.withId("s"));
        this.writer.append("s", NewEvent.of("message", "1"));
        listen("s");

        this.check.check();

        assertThat(this.listener.appendedCalls).hasValue(1);
        assertThat(this.listener.latest).hasValue(1);
    }

    @Test
    void eventsAHintReportedAreNotReportedAgain() {
        this.writer.create(NewSession.withId("s"));
        listen("s");
        this.check.check();

        this.writer.append("s", NewEvent.of("message", "1"));
        this.fanout.appended("s", 1, List.of());
        this.check.check();

        assertThat(this.listener.appendedCalls).hasValue(1);
    }

    @Test
    void aDeletedSessionIsReportedClosedOnce() {
        this.writer.create(NewSession.withId("s"));
        listen("s");
        this.check.check();

        this.writer.delete("s");
        this.check.check();
        this.check.check();

        assertThat(this.listener.closed).containsExactly(CloseReason.DELETED);
    }

    @Test
    void anExpiredSessionIsReportedClosedBeforeTheSweeperComes() {
        this.writer.create(NewSession.withId("s"));
        listen("s");
        this.check.check();

        this.clock.advance(Duration.ofMinutes(2));
        this.check.check();

        assertThat(this.listener.closed).containsExactly(CloseReason.EXPIRED);
    }

    @Test
    void aSessionCreatedAgainUnderItsIdEndsTheOldLog() {
        this.writer.create(NewSession.withId("s"));
        this.writer.appendAll("s", List.of(NewEvent.of("message", "1"), NewEvent.of("message", "2")));
        listen("s");
        this.check.check();

        this.writer.delete("s");
        this.writer.create(NewSession.withId("s"));
        this.writer.append("s", NewEvent.of("message", "\"new\""));
        this.check.check();

        assertThat(this.listener.closed).containsExactly(CloseReason.DELETED);
        assertThat(this.listener.appendedCalls).hasValue(2);
    }

    @Test
    void feedListenersHearTheFeedAdvanceOnce() {
        List<Long> heard = new CopyOnWriteArrayList<>();
        this.fanout.listeners().subscribeFeed(heard::add);
        this.check.check();

        this.writer.create(NewSession.withId("s"));
        await().atMost(Duration.ofSeconds(20)).until(() -> this.writer.readFeed(FeedQuery.after(0)).latest() == 1);
        this.check.check();
        this.check.check();

        assertThat(heard).containsExactly(1L);
    }

    @Test
    void sessionsNobodyListensToAreForgotten() {
        this.writer.create(NewSession.withId("s"));
        Subscription subscription = this.fanout.listeners().subscribe("s", this.listener);
        this.check.check();
        assertThat(this.fanout.update("s", (seen) -> seen)).isNotNull();

        subscription.close();
        this.fanout.appended("s", 3, List.of());
        this.check.check();

        assertThat(this.fanout.update("s", (seen) -> seen)).isNull();
    }

}
