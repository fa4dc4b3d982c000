package io.mcpsession.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;


import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.Subscription;
import io.mcpsession.tck.MutableClock;
import io.mcpsession.tck.RecordingSessionListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Wake-ups between two instances sharing one Redis, beyond the multi-instance contract
 * ({@link RedisMultiInstanceContractTests}, whose instances also run the position check): with the check so rare
 * (an hour) that pub/sub alone explains them, a reader on one wakes when the other appends, and hears its ephemeral
 * events and the session's end; and what no hint reached is delivered by the position check.
 */
@Timeout(120)
class RedisWakeUpsTests {

    /** How long a wake-up or feed entry may take to show: generous for a loaded machine, it ends once shown. */
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Long enough that no position check runs during a test: wake-ups come by pub/sub alone. */
    private static final Duration NO_CHECK = Duration.ofHours(1);

    private final MutableClock clock = MutableClock.startingNow();

    private final SharedKeys keys = new SharedKeys();

    private RedisSessionStore instance(StoreSettings settings, Duration positionCheck) {
        return this.keys.instance(settings, this.clock, positionCheck);
    }

    @AfterEach
    void closeEverything() {
        this.keys.close();
    }

    @Test
    void aLongPollOnOneWakesWhenTheOtherAppends() throws Exception {
        RedisSessionStore a = instance(StoreSettings.defaults(), NO_CHECK);
        RedisSessionStore b = instance(StoreSettings.defaults(), NO_CHECK);
        a.create(NewSession.withId("poll"));
        CountDownLatch woke = new CountDownLatch(1);

        // As the HTTP long-poll does: subscribe, read, and wait only when the read found nothing; woken by the
        // position of its append, not by any notification.
        try (Subscription subscription = b.subscribe("poll", wakeAt(1, woke))) {
            EventPage first = b.read("poll", EventQuery.after(0));
            assertThat(first.events()).isEmpty();
            a.append("poll", NewEvent.of("wake", "message", "1"));

            assertThat(woke.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(b.read("poll", EventQuery.after(first.nextCursor())).events()).extracting(EventRecord::id)
                .containsExactly("wake");
        }
    }

    @Test
    void listenersOnOneHearAppendsEphemeralEventsAndTheEndFromTheOther() {
        RedisSessionStore a = instance(StoreSettings.defaults(), NO_CHECK);
        RedisSessionStore b = instance(StoreSettings.defaults(), NO_CHECK);
        a.create(NewSession.withId("heard"));
        RecordingSessionListener listener = new RecordingSessionListener();
        b.subscribe("heard", listener);

        a.appendAll("heard", List.of(NewEvent.of("message", "1"), NewEvent.of("message", "2")));
        a.publishEphemeral("heard", new NewEvent("tick", "progress", "50", null, null, true));
        a.delete("heard");

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(listener.latest).hasValue(2);
            assertThat(listener.ephemerals).extracting(EphemeralEvent::id).containsExactly("tick");
            assertThat(listener.closed).containsExactly(CloseReason.DELETED);
        });
    }

    @Test
    void whatNoHintReachedIsDeliveredByThePositionCheck() {
        RedisSessionStore a = instance(StoreSettings.defaults(), NO_CHECK);
        a.create(NewSession.withId("missed"));
        a.append("missed", NewEvent.of("message", "1"));
        await().atMost(WAIT).until(() -> a.readFeed(FeedQuery.after(0)).latest() == 2);

        // B starts after A published: the hints went by before B subscribed to them.
        RedisSessionStore b = instance(StoreSettings.defaults(), Duration.ofMillis(200));
        RecordingSessionListener listener = new RecordingSessionListener();
        AtomicLong feed = new AtomicLong();
        b.subscribe("missed", listener);
        b.subscribeFeed((latest) -> feed.accumulateAndGet(latest, Math::max));

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(listener.latest).hasValue(1);
            assertThat(feed).hasValue(2);
        });
    }

    /** Counts {@code latch} down once the log has reached {@code expected}. */
    private static SessionListener wakeAt(long expected, CountDownLatch latch) {
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
