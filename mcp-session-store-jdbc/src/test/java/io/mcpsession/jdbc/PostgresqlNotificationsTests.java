package io.mcpsession.jdbc;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.jdbc.core.JdbcTemplate;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
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
 * Two instances on one PostgreSQL, beyond the multi-instance contract ({@link PostgresqlJdbcMultiInstanceContractTests}):
 * readers on one wake by LISTEN/NOTIFY when the other changes something, with the periodic check so rare (an hour)
 * that only a notification explains a prompt wake-up; the listening connection comes back by itself after it is
 * killed; a burst of appends shares notifications; and with NOTIFY off the position check alone wakes readers.
 */
@Timeout(180)
class PostgresqlNotificationsTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** So long that no periodic check runs during a test. */
    private static final Duration NO_CHECK = Duration.ofHours(1);

    /** Far below the hour between checks, so only a notification explains it; generous for a loaded machine. */
    private static final Duration PROMPTLY = Duration.ofSeconds(15);

    private final MutableClock clock = MutableClock.startingNow();

    private final ExecutorService executor = Executors.newCachedThreadPool();

    private final SharedTables tables = new SharedTables(JdbcPlatform.POSTGRESQL);

    private JdbcSessionStore instance(StoreSettings settings, Duration pollInterval) {
        return instance(settings, pollInterval, true);
    }

    private JdbcSessionStore instance(StoreSettings settings, Duration pollInterval, boolean listenNotify) {
        return this.tables.instance(settings, this.clock, pollInterval, listenNotify);
    }

    private String prefix() {
        return this.tables.prefix();
    }

    private JdbcPlatform platform() {
        return JdbcPlatform.POSTGRESQL;
    }

    @AfterEach
    void closeEverything() {
        this.executor.shutdownNow();
        this.tables.close();
    }

    @Test
    void aLongPollOnOneWakesByNotificationWhenTheOtherAppends() throws Exception {
        JdbcSessionStore a = instance(StoreSettings.defaults(), NO_CHECK);
        JdbcSessionStore b = instance(StoreSettings.defaults(), NO_CHECK);
        await().atMost(WAIT).until(() -> a.listening() && b.listening());
        a.create(NewSession.withId("poll"));
        CountDownLatch woke = new CountDownLatch(1);

        // As the HTTP long-poll does: subscribe, read, and wait only when the read found nothing; woken by the
        // position of its append, not by any notification.
        try (Subscription subscription = b.subscribe("poll", wakeAt(1, woke))) {
            EventPage first = b.read("poll", EventQuery.after(0));
            assertThat(first.events()).isEmpty();
            a.append("poll", NewEvent.of("wake", "message", "1"));

            assertThat(woke.await(PROMPTLY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(b.read("poll", EventQuery.after(first.nextCursor())).events()).extracting(EventRecord::id)
                .containsExactly("wake");
        }
    }

    @Test
    void listenersOnOneHearAppendsRemovalsAndTheFeedByNotification() {
        StoreSettings settings = StoreSettings.defaults().withTimeout(Duration.ofMinutes(1));
        JdbcSessionStore a = instance(settings, NO_CHECK);
        JdbcSessionStore b = instance(settings, NO_CHECK);
        await().atMost(WAIT).until(() -> a.listening() && b.listening());
        a.create(NewSession.withId("heard"));
        b.create(NewSession.withId("lapsing"));
        RecordingSessionListener heard = new RecordingSessionListener();
        RecordingSessionListener lapsing = new RecordingSessionListener();
        List<Long> feed = new CopyOnWriteArrayList<>();
        b.subscribe("heard", heard);
        b.subscribe("lapsing", lapsing);
        b.subscribeFeed(feed::add);

        a.appendAll("heard", List.of(NewEvent.of("message", "1"), NewEvent.of("message", "2")));
        await().atMost(PROMPTLY).untilAsserted(() -> {
            assertThat(heard.latest).hasValue(2);
            assertThat(feed).contains(4L);
        });
        a.delete("heard");
        this.clock.advance(Duration.ofMinutes(2));
        assertThat(a.sweep().expiredSessions()).isOne();

        await().atMost(PROMPTLY).untilAsserted(() -> {
            assertThat(heard.closed).containsExactly(CloseReason.DELETED);
            assertThat(lapsing.closed).containsExactly(CloseReason.EXPIRED);
            assertThat(feed).contains(6L);
        });
    }

    @Test
    void listeningResumesByItselfAfterTheConnectionIsKilled() throws Exception {
        JdbcSessionStore a = instance(StoreSettings.defaults(), NO_CHECK);
        JdbcSessionStore b = instance(StoreSettings.defaults(), NO_CHECK);
        await().atMost(WAIT).until(() -> a.listening() && b.listening());
        a.create(NewSession.withId("resumed"));
        RecordingSessionListener listener = new RecordingSessionListener();
        b.subscribe("resumed", listener);
        List<Integer> killed = listeners();
        assertThat(killed).hasSize(2);

        terminate(killed);
        // Announced while B may not listen: either the notification or B's check on resuming delivers it.
        a.append("resumed", NewEvent.of("message", "1"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(listener.latest).hasValue(1));
        await().atMost(WAIT).until(() -> a.listening() && b.listening() && listeners().size() == 2
                && listeners().stream().noneMatch(killed::contains));
        a.append("resumed", NewEvent.of("message", "2"));
        await().atMost(PROMPTLY).untilAsserted(() -> assertThat(listener.latest).hasValue(2));
    }

    @Test
    void aBurstOfAppendsSharesNotifications() throws Exception {
        JdbcSessionStore a = instance(StoreSettings.defaults(), NO_CHECK);
        await().atMost(WAIT).until(a::listening);
        a.create(NewSession.withId("burst"));
        int threads = 8;
        int appendsPerThread = 50;
        try (Connection connection = TestDatabases.dataSource(platform()).getConnection();
                Statement statement = connection.createStatement()) {
            long listenedFrom = System.nanoTime();
            statement.execute("LISTEN \"" + PostgresNotifications.channel(prefix()) + "\"");
            CyclicBarrier start = new CyclicBarrier(threads + 1);
            List<Future<?>> appenders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                appenders.add(this.executor.submit(() -> {
                    start.await();
                    for (int i = 0; i < appendsPerThread; i++) {
                        a.append("burst", NewEvent.of("message", "1"));
                    }
                    return null;
                }));
            }
            start.await();
            long began = System.nanoTime();
            for (Future<?> appender : appenders) {
                appender.get(60, TimeUnit.SECONDS);
            }
            long appendingMillis = Duration.ofNanos(System.nanoTime() - began).toMillis();

            PGConnection notifications = connection.unwrap(PGConnection.class);
            Map<String, Long> announced = new HashMap<>();
            int received = 0;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (announced.getOrDefault("burst", 0L) < threads * appendsPerThread && System.nanoTime() < deadline) {
                PGNotification[] arrived = notifications.getNotifications(1000);
                for (PGNotification notification : (arrived != null) ? arrived : new PGNotification[0]) {
                    NotifyPayload.decode(notification.getParameter(), announced);
                    received++;
                }
            }
            long listenedMillis = Duration.ofNanos(System.nanoTime() - listenedFrom).toMillis();
            statement.execute("UNLISTEN *");

            // Every append announced, the last one included.
            assertThat(announced).containsEntry("burst", (long) threads * appendsPerThread);
            System.out.printf("%d appends from %d threads in %d ms were announced in %d notifications%n",
                    threads * appendsPerThread, threads, appendingMillis, received);
            // Gathered: fewer notifications than appends. And never more than one per gathering window, whenever
            // it was sent: the sender waits GATHER_MILLIS between sends, so while this test listened there was
            // room for one per window and one sent as it began (with one payload each, for one session and the
            // feed). No quiet machine needed: load only stretches the time listened.
            assertThat(received).isLessThan(threads * appendsPerThread)
                .isLessThanOrEqualTo((int) (listenedMillis / PostgresNotifications.GATHER_MILLIS) + 2);
        }
    }

    @Test
    void withoutNotificationsThePositionCheckWakesReadersOnTheOther() {
        JdbcSessionStore a = instance(StoreSettings.defaults(), NO_CHECK, false);
        JdbcSessionStore b = instance(StoreSettings.defaults(), Duration.ofMillis(200), false);
        assertThat(b.listening()).isFalse();
        a.create(NewSession.withId("healed"));
        RecordingSessionListener listener = new RecordingSessionListener();
        List<Long> feed = new CopyOnWriteArrayList<>();

        try (Subscription session = b.subscribe("healed", listener);
                Subscription feedSubscription = b.subscribeFeed(feed::add)) {
            a.appendAll("healed", List.of(NewEvent.of("message", "1"), NewEvent.of("message", "2")));
            await().atMost(WAIT).untilAsserted(() -> assertThat(listener.latest).hasValue(2));
            a.delete("healed");
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(listener.closed).containsExactly(CloseReason.DELETED);
                assertThat(feed).contains(4L);
            });
        }
    }

    /** The backends that listen on this test's channel. */
    private List<Integer> listeners() {
        return new JdbcTemplate(TestDatabases.dataSource(platform())).queryForList(
                "SELECT pid FROM pg_stat_activity WHERE query = ?", Integer.class,
                "LISTEN \"" + PostgresNotifications.channel(prefix()) + "\"");
    }

    private void terminate(List<Integer> pids) {
        JdbcTemplate jdbc = new JdbcTemplate(TestDatabases.dataSource(platform()));
        for (Integer pid : pids) {
            jdbc.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, pid);
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
