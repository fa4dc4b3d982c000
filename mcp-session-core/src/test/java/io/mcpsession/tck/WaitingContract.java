package io.mcpsession.tck;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.Session;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.Subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Push-based waiting: session listeners, ephemeral events, close notices and a long-poll built on them (SPEC
 * §3.6, §2 ephemeral events).
 */
public abstract class WaitingContract extends ContractSupport {

    protected WaitingContract(StoreFactory factory) {
        super(factory);
    }

    @Test
    void listenerIsToldOfAppend() {
        SessionStore store = newStore();
        Session session = newSession(store);
        RecordingSessionListener listener = new RecordingSessionListener();
        store.subscribe(session.id(), listener);

        EventRecord event = append(store, session.id(), "{\"hello\":1}");

        eventually().untilAsserted(() -> assertThat(listener.latest.get()).isEqualTo(event.seq()));
        assertThat(listener.sessionIds).containsOnly(session.id());
        assertThat(listener.events).allSatisfy((heard) -> assertThat(heard).isEqualTo(event));
    }

    @Test
    void listenerOfOtherSessionIsNotTold() {
        SessionStore store = newStore();
        Session watched = newSession(store);
        Session other = newSession(store);
        RecordingSessionListener quiet = new RecordingSessionListener();
        RecordingSessionListener marker = new RecordingSessionListener();
        store.subscribe(watched.id(), quiet);
        store.subscribe(other.id(), marker);

        append(store, other.id(), "1");

        eventually().untilAsserted(() -> assertThat(marker.latest.get()).isEqualTo(1));
        assertThat(quiet.heardAnything()).isFalse();
    }

    @Test
    void ephemeralEventReachesListenersOnly() {
        SessionStore store = newStore();
        Session session = newSession(store);
        RecordingSessionListener listener = new RecordingSessionListener();
        store.subscribe(session.id(), listener);

        EphemeralEvent published = store.publishEphemeral(session.id(),
                new NewEvent("tick-1", "progress", "{\"pct\":50}", "run-1", null, true));

        assertThat(published.sessionId()).isEqualTo(session.id());
        assertThat(published.id()).isEqualTo("tick-1");
        assertThat(published.type()).isEqualTo("progress");
        assertThat(published.data()).isEqualTo("{\"pct\":50}");
        assertThat(published.runId()).isEqualTo("run-1");
        eventually().untilAsserted(() -> assertThat(listener.ephemerals).containsExactly(published));
        EventPage page = readAll(store, session.id());
        assertThat(page.events()).isEmpty();
        assertThat(page.latest()).isZero();
        EventRecord marker = append(store, session.id(), "1");
        assertThat(marker.seq()).isEqualTo(1);
        eventually().untilAsserted(() -> assertThat(feedOf(store, session.id()))
            .anySatisfy((entry) -> assertThat(entry.event()).isEqualTo(marker)));
        assertThat(readFeed(store, Set.of(FeedEntryType.EVENT_APPENDED), session.id())).extracting(FeedEntry::event)
            .containsExactly(marker);
    }

    @Test
    void ephemeralEventToUnknownSessionFailsWithSessionNotFound() {
        SessionStore store = newStore();

        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.publishEphemeral("unknown",
                new NewEvent(null, "tick", "1", null, null, true)));
    }

    @Test
    void listenerIsToldOfDelete() {
        SessionStore store = newStore();
        Session session = newSession(store);
        RecordingSessionListener listener = new RecordingSessionListener();
        store.subscribe(session.id(), listener);

        store.delete(session.id());

        eventually().untilAsserted(() -> assertThat(listener.closed).containsExactly(CloseReason.DELETED));
    }

    @Test
    void listenerIsToldOfExpiryOnSweep() {
        SessionStore store = newStore(StoreSettings.defaults().withTimeout(Duration.ofMinutes(5)));
        Session session = newSession(store);
        RecordingSessionListener listener = new RecordingSessionListener();
        store.subscribe(session.id(), listener);
        this.clock.advance(Duration.ofMinutes(6));

        store.sweep();

        eventually().untilAsserted(() -> assertThat(listener.closed).containsExactly(CloseReason.EXPIRED));
    }

    @Test
    void closedSubscriptionHearsNothingMore() {
        SessionStore store = newStore();
        Session session = newSession(store);
        RecordingSessionListener closedOne = new RecordingSessionListener();
        RecordingSessionListener marker = new RecordingSessionListener();
        Subscription subscription = store.subscribe(session.id(), closedOne);
        store.subscribe(session.id(), marker);
        append(store, session.id(), "1");
        eventually().untilAsserted(() -> assertThat(closedOne.latest.get()).isEqualTo(1));

        subscription.close();
        subscription.close();
        append(store, session.id(), "2");
        store.publishEphemeral(session.id(), new NewEvent(null, "tick", "1", null, null, true));
        store.delete(session.id());

        eventually().untilAsserted(() -> assertThat(marker.closed).containsExactly(CloseReason.DELETED));
        assertThat(marker.latest.get()).isEqualTo(2);
        // Not a count of calls: a store may tell of seq 1 twice (its own append and a position check that raced
        // it), even just as the subscription closes. Whatever it heard, it never heard of anything after the close.
        assertThat(closedOne.latest.get()).isEqualTo(1);
        assertThat(closedOne.events).allSatisfy((heard) -> assertThat(heard.seq()).isEqualTo(1));
        assertThat(closedOne.ephemerals).isEmpty();
        assertThat(closedOne.closed).isEmpty();
    }

    @Test
    void failingListenerDoesNotStopAppendsOrOtherListeners() {
        SessionStore store = newStore();
        Session session = newSession(store);
        RecordingSessionListener listener = new RecordingSessionListener();
        store.subscribe(session.id(), new SessionListener() {
            @Override
            public void appended(String sessionId, long latest, List<EventRecord> events) {
                throw new IllegalStateException("listener failure (expected by the test)");
            }

            @Override
            public void ephemeral(EphemeralEvent event) {
                throw new IllegalStateException("listener failure (expected by the test)");
            }

            @Override
            public void closed(String sessionId, CloseReason reason) {
                throw new IllegalStateException("listener failure (expected by the test)");
            }
        });
        store.subscribe(session.id(), listener);

        EventRecord event = append(store, session.id(), "1");

        assertThat(event.seq()).isEqualTo(1);
        eventually().untilAsserted(() -> assertThat(listener.latest.get()).isEqualTo(1));
    }

    @Test
    void longPollIsWokenByAppendFromAnotherThread() throws Exception {
        SessionStore store = newStore();
        Session session = newSession(store);
        appendMany(store, session.id(), 2);
        // Woken by its own append only: a listener may still hear of the two appends made before it subscribed.
        CompletableFuture<Long> woken = new CompletableFuture<>();

        try (Subscription subscription = store.subscribe(session.id(), new WakeUp(3, woken))) {
            EventPage first = store.read(session.id(), EventQuery.after(2));
            assertThat(first.events()).isEmpty();
            CompletableFuture<EventRecord> appender = CompletableFuture
                .supplyAsync(() -> append(store, session.id(), "\"late\""));

            assertThat(woken.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(3);
            EventPage second = store.read(session.id(), EventQuery.after(first.nextCursor()));

            EventRecord appended = appender.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(second.events()).containsExactly(appended);
            assertThat(second.nextCursor()).isEqualTo(3);
        }
    }

    @Test
    void longPollTimesOutEmptyWhenNothingComes() throws Exception {
        SessionStore store = newStore();
        Session session = newSession(store);
        appendMany(store, session.id(), 1);
        // A late notice of the append before the subscription is no wake-up: only a position beyond 1 is.
        CompletableFuture<Long> woken = new CompletableFuture<>();

        try (Subscription subscription = store.subscribe(session.id(), new WakeUp(2, woken))) {
            EventPage first = store.read(session.id(), EventQuery.after(1));

            assertThatExceptionOfType(TimeoutException.class)
                .isThrownBy(() -> woken.get(300, TimeUnit.MILLISECONDS));
            EventPage second = store.read(session.id(), EventQuery.after(first.nextCursor()));
            assertThat(second.events()).isEmpty();
            assertThat(second.nextCursor()).isEqualTo(1);
        }
    }

    /**
     * The long-poll's waiter: completed once the log has reached {@code expected}. Ephemeral events do not count,
     * and neither does a notice of an earlier position (a store may deliver one late, or twice; a wake-up is only
     * ever a reason to read).
     */
    private record WakeUp(long expected, CompletableFuture<Long> woken) implements SessionListener {

        @Override
        public void appended(String sessionId, long latest, List<EventRecord> events) {
            if (latest >= this.expected) {
                this.woken.complete(latest);
            }
        }

        @Override
        public void ephemeral(EphemeralEvent event) {
        }

        @Override
        public void closed(String sessionId, CloseReason reason) {
            this.woken.completeExceptionally(new IllegalStateException("closed: " + reason));
        }

    }

}
