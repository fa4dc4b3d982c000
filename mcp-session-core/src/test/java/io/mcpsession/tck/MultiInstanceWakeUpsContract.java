package io.mcpsession.tck;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.Subscription;

import static io.mcpsession.tck.ContractSupport.WAIT;
import static io.mcpsession.tck.ContractSupport.assertCode;
import static io.mcpsession.tck.ContractSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reader on one instance wakes for what another instance did: appends, deletes, expiry and the feed moving
 * (SPEC §3.6: "waits until a matching event is appended on any instance").
 */
public abstract class MultiInstanceWakeUpsContract extends MultiInstanceSupport {

    protected MultiInstanceWakeUpsContract(SharedStoreFactory factory) {
        super(factory);
    }

    @Test
    void aLongPollOnOneWakesWhenAnotherAppends() throws InterruptedException {
        List<SessionStore> stores = instances(2);
        SessionStore a = stores.get(0);
        SessionStore b = stores.get(1);
        a.create(NewSession.withId("poll"));
        CountDownLatch woke = new CountDownLatch(1);

        // As the HTTP long-poll does: subscribe, read, and wait only when the read found nothing; woken by the
        // position of the append, not by any call.
        try (Subscription subscription = b.subscribe("poll", wakeAt(1, woke))) {
            EventPage first = b.read("poll", EventQuery.after(0));
            assertThat(first.events()).isEmpty();
            EventRecord appended = a.append("poll", NewEvent.of("wake", "message", "1")).event();

            assertThat(woke.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("woken within %s", WAIT).isTrue();
            assertThat(b.read("poll", EventQuery.after(first.nextCursor())).events()).containsExactly(appended);
        }
    }

    @Test
    void listenersOnEveryInstanceHearAppendsFromTheOthers() {
        List<SessionStore> stores = instances(3);
        stores.get(0).create(NewSession.withId("heard"));
        List<RecordingSessionListener> listeners = List.of(new RecordingSessionListener(),
                new RecordingSessionListener(), new RecordingSessionListener());
        for (int i = 0; i < stores.size(); i++) {
            stores.get(i).subscribe("heard", listeners.get(i));
        }

        stores.get(1).appendAll("heard", List.of(NewEvent.of("message", "1"), NewEvent.of("message", "2")));
        stores.get(2).append("heard", NewEvent.of("message", "3"));
        stores.get(0).append("heard", NewEvent.of("message", "4"));

        eventually().untilAsserted(() -> assertThat(listeners)
            .allSatisfy((listener) -> assertThat(listener.latest).hasValue(4)));
        assertThat(listeners).allSatisfy((listener) -> assertThat(listener.closed).isEmpty());
    }

    @Test
    void aDeleteOnOneEndsTheListenersAndReadersOfAnother() {
        List<SessionStore> stores = instances(2);
        SessionStore a = stores.get(0);
        SessionStore b = stores.get(1);
        a.create(NewSession.withId("deleted"));
        a.append("deleted", NewEvent.of("message", "1"));
        RecordingSessionListener listener = new RecordingSessionListener();
        b.subscribe("deleted", listener);

        assertThat(a.delete("deleted")).isTrue();

        eventually().untilAsserted(() -> assertThat(listener.closed).containsExactly(CloseReason.DELETED));
        assertThat(b.find("deleted")).isEmpty();
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> b.read("deleted", EventQuery.after(0)));
        assertThat(b.delete("deleted")).isFalse();
    }

    @Test
    void anExpirySweptOnOneEndsTheListenersOfAnother() {
        StoreSettings settings = StoreSettings.defaults().withTimeout(Duration.ofMinutes(1));
        List<SessionStore> stores = instances(2, settings);
        SessionStore a = stores.get(0);
        SessionStore b = stores.get(1);
        b.create(NewSession.withId("lapsing"));
        RecordingSessionListener listener = new RecordingSessionListener();
        b.subscribe("lapsing", listener);
        this.clock.advance(Duration.ofMinutes(2));

        assertThat(a.sweep().expiredSessions()).isOne();

        eventually().untilAsserted(() -> assertThat(listener.closed).containsExactly(CloseReason.EXPIRED));
        assertThat(b.find("lapsing")).isEmpty();
    }

    @Test
    void aFeedListenerOnOneHearsChangesMadeOnAnother() throws InterruptedException {
        List<SessionStore> stores = instances(2);
        SessionStore a = stores.get(0);
        SessionStore b = stores.get(1);
        CountDownLatch reached = new CountDownLatch(1);

        try (Subscription subscription = b.subscribeFeed(feedReached(b, 3, reached))) {
            a.create(NewSession.withId("fed"));
            a.appendAll("fed", List.of(NewEvent.of("message", "1"), NewEvent.of("message", "2")));

            assertThat(reached.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("heard within %s", WAIT).isTrue();
        }
        assertThat(b.readFeed(FeedQuery.after(0)).entries()).hasSize(3);
    }

    /** Counts {@code latch} down once the log has reached {@code expected}. */
    static SessionListener wakeAt(long expected, CountDownLatch latch) {
        return new SessionListener() {

            @Override
            public void appended(String sessionId, long latest, List<EventRecord> events) {
                if (latest >= expected) {
                    latch.countDown();
                }
            }

            @Override
            public void ephemeral(EphemeralEvent event) {
            }

            @Override
            public void closed(String sessionId, CloseReason reason) {
            }

        };
    }

}
