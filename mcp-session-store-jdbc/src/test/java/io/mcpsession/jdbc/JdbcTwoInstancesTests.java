package io.mcpsession.jdbc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.CloseReason;
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
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.Subscription;
import io.mcpsession.store.SweepResult;
import io.mcpsession.tck.MutableClock;
import io.mcpsession.tck.RecordingSessionListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances sharing one database's tables, each with its own connection pool (as two application instances
 * have): either serves any session, appends from both stay contiguous, the feed read from either holds every
 * change exactly once without gaps, only one sweeps at a time, and the position check wakes readers on one for
 * changes made on the other.
 */
@Timeout(180)
abstract class JdbcTwoInstancesTests {

    static final Duration WAIT = Duration.ofSeconds(20);

    /** So long that no periodic check runs during a test. */
    static final Duration NO_CHECK = Duration.ofHours(1);

    final MutableClock clock = MutableClock.startingNow();

    final ExecutorService executor = Executors.newCachedThreadPool();

    private SharedTables tables;

    abstract JdbcPlatform platform();

    /** A new instance over this test's tables; NOTIFY is on where the database has it. */
    JdbcSessionStore instance(StoreSettings settings, Duration pollInterval) {
        return instance(settings, pollInterval, true);
    }

    synchronized JdbcSessionStore instance(StoreSettings settings, Duration pollInterval, boolean listenNotify) {
        if (this.tables == null) {
            this.tables = new SharedTables(platform());
        }
        return this.tables.instance(settings, this.clock, pollInterval, listenNotify);
    }

    String prefix() {
        return this.tables.prefix();
    }

    @AfterEach
    void closeEverything() {
        this.executor.shutdownNow();
        if (this.tables != null) {
            this.tables.close();
        }
    }

    @Test
    void aSessionCreatedOnOneIsServedByTheOther() {
        JdbcSessionStore a = instance(StoreSettings.defaults(), NO_CHECK);
        JdbcSessionStore b = instance(StoreSettings.defaults(), NO_CHECK);
        a.create(new NewSession("handoff", null, null, "2025-11-25", "{\"user\":\"ann\"}", null));
        a.putState("handoff", "k", "1");
        a.append("handoff", NewEvent.of("e1", "message", "\"from a\""));

        assertThat(b.find("handoff")).hasValueSatisfying((session) -> {
            assertThat(session.protocolVersion()).isEqualTo("2025-11-25");
            assertThat(session.metadata()).isEqualTo("{\"user\":\"ann\"}");
        });
        assertThat(b.getState("handoff", "k")).contains("1");
        AppendResult fromB = b.append("handoff", NewEvent.of("e2", "message", "\"from b\""));
        AppendResult again = b.append("handoff", NewEvent.of("e1", "message", "\"again\""));
        b.update("handoff", new SessionPatch("{\"initialized\":true}"));

        assertThat(fromB.event().seq()).isEqualTo(2);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.event().data()).isEqualTo("\"from a\"");
        assertThat(a.read("handoff", EventQuery.after(0)).events()).extracting(EventRecord::id)
            .containsExactly("e1", "e2");
        assertThat(a.find("handoff")).hasValueSatisfying((session) -> assertThat(session.initialized()).isTrue());
        assertThat(b.delete("handoff")).isTrue();
        assertThat(a.find("handoff")).isEmpty();
    }

    @Test
    void concurrentAppendsFromBothInstancesStayContiguousAndTheFeedHoldsEachOnce() throws Exception {
        JdbcSessionStore a = instance(StoreSettings.defaults(), NO_CHECK);
        JdbcSessionStore b = instance(StoreSettings.defaults(), NO_CHECK);
        a.create(NewSession.withId("busy"));
        b.create(NewSession.withId("quiet"));
        int threadsPerInstance = 8;
        int appendsPerThread = 40;
        int total = 2 * threadsPerInstance * appendsPerThread;
        CyclicBarrier start = new CyclicBarrier(2 * threadsPerInstance);
        ConcurrentLinkedQueue<Long> seqs = new ConcurrentLinkedQueue<>();
        List<Future<?>> appenders = new ArrayList<>();
        for (int t = 0; t < 2 * threadsPerInstance; t++) {
            JdbcSessionStore store = (t % 2 == 0) ? a : b;
            String thread = "t" + t;
            appenders.add(this.executor.submit(() -> {
                start.await();
                for (int i = 0; i < appendsPerThread; i++) {
                    seqs.add(store.append("busy", NewEvent.of(thread + "-" + i, "message", "1")).event().seq());
                    if (i % 10 == 0) {
                        store.append("quiet", NewEvent.of(thread + "-q" + i, "message", "2"));
                    }
                }
                return null;
            }));
        }
        for (Future<?> appender : appenders) {
            appender.get(120, TimeUnit.SECONDS);
        }

        assertThat(seqs).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        EventPage page = b.read("busy", EventQuery.after(0).withLimit(1000));
        assertThat(page.events()).extracting(EventRecord::seq)
            .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        int quiet = 2 * threadsPerInstance * (appendsPerThread / 10);
        long changes = 2 + total + quiet;
        await().atMost(WAIT).until(() -> a.readFeed(FeedQuery.after(0)).latest() == changes);
        for (JdbcSessionStore reader : List.of(a, b)) {
            List<FeedEntry> entries = feedEntries(reader);
            assertThat(entries).extracting(FeedEntry::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, changes).boxed().toList());
            List<String> appended = entries.stream()
                .filter((entry) -> entry.type() == FeedEntryType.EVENT_APPENDED)
                .map((entry) -> entry.sessionId() + "/" + entry.event().seq())
                .toList();
            assertThat(appended).doesNotHaveDuplicates().hasSize(total + quiet);
            assertThat(entries.stream()
                .filter((entry) -> entry.sessionId().equals("busy") && entry.type() == FeedEntryType.EVENT_APPENDED)
                .map((entry) -> entry.event().seq())
                .toList()).as("one session's entries keep its commit order")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
        }
    }

    @Test
    void onlyOneInstanceSweepsAtATime() throws Exception {
        StoreSettings settings = StoreSettings.defaults().withTimeout(Duration.ofMinutes(1));
        JdbcSessionStore a = instance(settings, NO_CHECK);
        JdbcSessionStore b = instance(settings, NO_CHECK);
        int sessions = 60;
        for (int i = 0; i < sessions; i++) {
            ((i % 2 == 0) ? a : b).create(NewSession.withId("idle-" + i));
        }
        this.clock.advance(Duration.ofMinutes(2));

        long expired = 0;
        Set<String> sweepers = new HashSet<>();
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
            long byA = onA.get(60, TimeUnit.SECONDS).expiredSessions();
            long byB = onB.get(60, TimeUnit.SECONDS).expiredSessions();
            if (byA > 0) {
                sweepers.add("a");
            }
            if (byB > 0) {
                sweepers.add("b");
            }
            expired += byA + byB;
        }

        assertThat(expired).isEqualTo(sessions);
        assertThat(sweepers).as("the lease holder sweeps every round").hasSize(1);
        await().atMost(WAIT).until(() -> a.readFeed(FeedQuery.after(0)).latest() == 2L * sessions);
        Map<String, Long> expiries = feedEntries(b).stream()
            .filter((entry) -> entry.type() == FeedEntryType.SESSION_EXPIRED)
            .collect(Collectors.groupingBy(FeedEntry::sessionId, Collectors.counting()));
        assertThat(expiries).hasSize(sessions).allSatisfy((sessionId, count) -> assertThat(count).isOne());
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

    static List<FeedEntry> feedEntries(JdbcSessionStore store) {
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

}
