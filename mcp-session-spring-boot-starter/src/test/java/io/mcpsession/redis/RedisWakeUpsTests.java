package io.mcpsession.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.Subscription;
import io.mcpsession.store.SweepResult;
import io.mcpsession.tck.MutableClock;
import io.mcpsession.tck.RecordingSessionListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances sharing one Redis, each with its own connection factory (as two application instances have):
 * either serves any session, a reader on one wakes when the other appends (by pub/sub, and by the position check
 * when the hint went nowhere), appends from both stay contiguous, and only one sweeps at a time.
 */
@Timeout(120)
class TwoInstancesTests {

    /** How long a wake-up or feed entry may take to show: generous for a loaded machine, it ends once shown. */
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** Long enough that no position check runs during a test: wake-ups come by pub/sub alone. */
    private static final Duration NO_CHECK = Duration.ofHours(1);

    private final MutableClock clock = MutableClock.startingNow();

    private final String prefix = RedisTestServer.newKeyPrefix();

    private final List<RedisSessionStore> stores = new ArrayList<>();

    private final List<LettuceConnectionFactory> factories = new ArrayList<>();

    private final ExecutorService executor = Executors.newCachedThreadPool();

    private RedisSessionStore instance(StoreSettings settings, Duration positionCheck) {
        LettuceConnectionFactory factory = RedisTestServer.newConnectionFactory(RedisTestServer.url(),
                Duration.ofSeconds(10));
        this.factories.add(factory);
        RedisSessionStore store = new RedisSessionStore(factory, settings, this.prefix, this.clock, positionCheck);
        this.stores.add(store);
        return store;
    }

    @AfterEach
    void closeEverything() {
        this.executor.shutdownNow();
        this.stores.forEach(RedisSessionStore::close);
        this.factories.forEach(LettuceConnectionFactory::destroy);
        RedisTestServer.deleteKeys(this.prefix);
    }

    @Test
    void aSessionCreatedOnOneIsServedByTheOther() {
        RedisSessionStore a = instance(StoreSettings.defaults(), NO_CHECK);
        RedisSessionStore b = instance(StoreSettings.defaults(), NO_CHECK);
        a.create(new NewSession("handoff", null, null, "2025-11-25", "{\"user\":\"ann\"}", null));
        a.putState("handoff", "k", "1");
        a.append("handoff", NewEvent.of("e1", "message", "\"from a\""));

        assertThat(b.find("handoff")).hasValueSatisfying((session) -> {
            assertThat(session.protocolVersion()).isEqualTo("2025-11-25");
            assertThat(session.metadata()).isEqualTo("{\"user\":\"ann\"}");
        });
        assertThat(b.getState("handoff", "k")).contains("1");
        AppendResult fromB = b.append("handoff", NewEvent.of("e2", "message", "\"from b\""));
        b.update("handoff", new SessionPatch("{\"initialized\":true}"));

        assertThat(fromB.event().seq()).isEqualTo(2);
        assertThat(a.read("handoff", EventQuery.after(0)).events()).extracting(EventRecord::id)
            .containsExactly("e1", "e2");
        assertThat(a.find("handoff")).hasValueSatisfying((session) -> assertThat(session.initialized()).isTrue());
        assertThat(b.delete("handoff")).isTrue();
        assertThat(a.find("handoff")).isEmpty();
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

    @Test
    void concurrentAppendsFromBothInstancesStayContiguous() throws Exception {
        RedisSessionStore a = instance(StoreSettings.defaults(), NO_CHECK);
        RedisSessionStore b = instance(StoreSettings.defaults(), NO_CHECK);
        a.create(NewSession.withId("busy"));
        int threadsPerInstance = 8;
        int appendsPerThread = 50;
        int total = 2 * threadsPerInstance * appendsPerThread;
        CyclicBarrier start = new CyclicBarrier(2 * threadsPerInstance);
        ConcurrentLinkedQueue<Long> seqs = new ConcurrentLinkedQueue<>();
        List<Future<?>> appenders = new ArrayList<>();
        for (int t = 0; t < 2 * threadsPerInstance; t++) {
            RedisSessionStore store = (t % 2 == 0) ? a : b;
            String thread = "t" + t;
            appenders.add(this.executor.submit(() -> {
                start.await();
                for (int i = 0; i < appendsPerThread; i++) {
                    seqs.add(store.append("busy", NewEvent.of(thread + "-" + i, "message", "1")).event().seq());
                }
                return null;
            }));
        }
        for (Future<?> appender : appenders) {
            appender.get(60, TimeUnit.SECONDS);
        }

        assertThat(seqs).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        EventPage page = b.read("busy", EventQuery.after(0).withLimit(1000));
        assertThat(page.events()).extracting(EventRecord::seq)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        await().atMost(WAIT).until(() -> a.readFeed(FeedQuery.after(0)).latest() == total + 1);
        List<Long> fed = feedEntries(a).stream()
            .filter((entry) -> entry.type() == FeedEntryType.EVENT_APPENDED)
            .map((entry) -> entry.event().seq())
            .toList();
        assertThat(fed).containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
    }

    @Test
    void onlyOneInstanceSweepsAtATime() throws Exception {
        StoreSettings settings = StoreSettings.defaults().withTimeout(Duration.ofMinutes(1));
        RedisSessionStore a = instance(settings, NO_CHECK);
        RedisSessionStore b = instance(settings, NO_CHECK);
        int sessions = 60;
        for (int i = 0; i < sessions; i++) {
            ((i % 2 == 0) ? a : b).create(NewSession.withId("idle-" + i));
        }
        this.clock.advance(Duration.ofMinutes(2));

        long expired = 0;
        for (int round = 0; round < 25; round++) {
            CyclicBarrier together = new CyclicBarrier(2);
            Future<SweepResult> onA = this.executor.submit(() -> {
                together.await();
                return a.sweep();
            });
            Future<SweepResult> onB = this.executor.submit(() -> {
                together.await();
                return b.sweep();
            });
            expired += onA.get(30, TimeUnit.SECONDS).expiredSessions()
                    + onB.get(30, TimeUnit.SECONDS).expiredSessions();
        }

        assertThat(expired).isEqualTo(sessions);
        await().atMost(WAIT).until(() -> a.readFeed(FeedQuery.after(0)).latest() == 2L * sessions);
        Map<String, Long> expiries = feedEntries(b).stream()
            .filter((entry) -> entry.type() == FeedEntryType.SESSION_EXPIRED)
            .collect(Collectors.groupingBy(FeedEntry::sessionId, Collectors.counting()));
        assertThat(expiries).hasSize(sessions).allSatisfy((sessionId, count) -> assertThat(count).isOne());
    }

    private static List<FeedEntry> feedEntries(RedisSessionStore store) {
        List<FeedEntry> entries = new ArrayList<>();
        long after = 0;
        while (true) {
            FeedPage page = store.readFeed(FeedQuery.after(after).withLimit(1000));
            entries.addAll(page.entries());
            if (page.nextCursor() >= page.latest()) {
                return entries;
            }
            after = page.nextCursor();
        }
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
