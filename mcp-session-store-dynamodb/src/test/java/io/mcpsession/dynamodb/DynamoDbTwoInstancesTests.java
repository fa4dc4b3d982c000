package io.mcpsession.dynamodb;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.SweepResult;
import io.mcpsession.tck.FeedChecks;
import io.mcpsession.tck.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances on one set of tables, as two application instances share one DynamoDB: readers wake for the
 * other instance's appends and removals, appends from both stay contiguous, one sweeper runs at a time, and the
 * feed's sequencer moves on when its instance goes.
 */
class DynamoDbTwoInstancesTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final MutableClock clock = MutableClock.startingNow();

    private final String prefix = TestStores.newPrefix();

    private final ScriptedClient secondClient = new ScriptedClient(TestStores.client());

    private DynamoDbSessionStore first;

    private DynamoDbSessionStore second;

    @BeforeEach
    void start() {
        StoreSettings settings = StoreSettings.defaults().withTimeout(TIMEOUT);
        this.first = new DynamoDbSessionStore(TestStores.client(), settings, this.prefix, this.clock,
                TestStores.POLL_INTERVAL, true);
        // The second finds the tables the first created, as an instance started without create-tables does.
        this.second = new DynamoDbSessionStore(this.secondClient, settings, this.prefix, this.clock,
                TestStores.POLL_INTERVAL, false);
    }

    @AfterEach
    void stop() {
        this.first.close();
        this.second.close();
        new DynamoDbTables(this.prefix).drop(TestStores.client());
    }

    @Test
    void readerOnOneInstanceWakesForAppendOnTheOther() throws Exception {
        Session session = this.first.create(NewSession.anonymous());
        CompletableFuture<Long> woken = new CompletableFuture<>();
        this.second.subscribe(session.id(), new Listener() {
            @Override
            public void appended(String sessionId, long latest, List<EventRecord> events) {
                if (latest >= 1) {
                    woken.complete(latest);
                }
            }
        });

        EventRecord appended = this.first.append(session.id(), NewEvent.of("message", "{\"from\":\"first\"}")).event();

        assertThat(woken.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(1);
        assertThat(this.second.read(session.id(), EventQuery.after(0)).events()).containsExactly(appended);
    }

    @Test
    void readerOnOneInstanceHearsOfDeleteOnTheOther() throws Exception {
        Session session = this.first.create(NewSession.anonymous());
        CompletableFuture<CloseReason> closed = new CompletableFuture<>();
        this.second.subscribe(session.id(), new Listener() {
            @Override
            public void closed(String sessionId, CloseReason reason) {
                closed.complete(reason);
            }
        });

        assertThat(this.first.delete(session.id())).isTrue();

        assertThat(closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(CloseReason.DELETED);
    }

    @Test
    void positionChecksAskNothingWhileNobodyWaitsAndBatchTheWatchedSessions() {
        Session one = this.first.create(NewSession.anonymous());
        Session two = this.first.create(NewSession.anonymous());
        List<Object> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
        this.secondClient.script(new ScriptedClient.Script() {
            @Override
            public void before(Object request) {
                // Position checks read session heads; the feed's sequencer reads its cursors the same way.
                if (request instanceof software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest batch
                        && batch.requestItems().values().iterator().next().keys().stream()
                            .allMatch((key) -> key.get(Items.SK).s().equals(SessionKeys.HEAD))) {
                    batches.add(batch);
                }
            }
        });

        // The kit's way to show that something does not happen: it holds over several poll intervals.
        await().during(TestStores.POLL_INTERVAL.multipliedBy(5)).atMost(WAIT)
            .untilAsserted(() -> assertThat(batches).isEmpty());
        this.second.subscribe(one.id(), new Listener());
        this.second.subscribe(two.id(), new Listener());

        await().atMost(WAIT).untilAsserted(() -> assertThat(batches).anySatisfy((request) -> assertThat(
                ((software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest) request).requestItems()
                    .values()
                    .iterator()
                    .next()
                    .keys()).hasSize(2)));
    }

    @Test
    void appendsFromBothInstancesGetContiguousSeqsAndOneFeedEntryEach() {
        Session session = this.first.create(NewSession.anonymous());
        int threads = 6;
        int perThread = 20;

        List<List<EventRecord>> byThread = runConcurrently(threads, (thread) -> {
            DynamoDbSessionStore store = (thread % 2 == 0) ? this.first : this.second;
            List<EventRecord> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                NewEvent event = (i % 5 == 4)
                        ? NewEvent.of("t" + thread + "-" + i, "message", "{\"t\":" + thread + ",\"i\":" + i + "}")
                        : NewEvent.of("message", "{\"t\":" + thread + ",\"i\":" + i + "}");
                mine.add(store.append(session.id(), event).event());
            }
            return mine;
        });

        List<EventRecord> acknowledged = byThread.stream().flatMap(List::stream).toList();
        int total = threads * perThread;
        assertThat(acknowledged).extracting(EventRecord::seq)
            .containsExactlyInAnyOrderElementsOf(java.util.stream.LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(this.second.read(session.id(), EventQuery.after(0).withLimit(1000)).events())
            .containsExactlyElementsOf(acknowledged.stream()
                .sorted(java.util.Comparator.comparingLong(EventRecord::seq))
                .toList());
        Map<String, Map<Long, String>> expected = FeedChecks.bySession(acknowledged);
        await().atMost(WAIT).until(() -> FeedChecks.holdsEvery(this.second, expected));
        assertThat(FeedChecks.appendedEventIds(FeedChecks.readWholeFeed(this.first))).isEqualTo(expected);
    }

    @Test
    void oneInstanceSweepsAtATime() {
        Session expiring = this.first.create(NewSession.anonymous());
        this.clock.advance(TIMEOUT.plusMinutes(1));

        List<SweepResult> results = runConcurrently(2,
                (thread) -> ((thread == 0) ? this.first : this.second).sweep());

        assertThat(results).extracting(SweepResult::expiredSessions).containsExactlyInAnyOrder(1L, 0L);
        assertThat(results).filteredOn((result) -> result.expiredSessions() == 0).singleElement()
            .isEqualTo(SweepResult.EMPTY);
        await().atMost(WAIT).untilAsserted(() -> assertThat(FeedChecks.readWholeFeed(this.second))
            .filteredOn((entry) -> entry.sessionId().equals(expiring.id()))
            .extracting(FeedEntry::type)
            .containsExactly(FeedEntryType.SESSION_CREATED, FeedEntryType.SESSION_EXPIRED));
    }

    @Test
    void theOtherInstanceTakesOverSweepingAndSequencingWhenOneCloses() {
        Session session = this.first.create(NewSession.anonymous());
        this.first.append(session.id(), NewEvent.of("message", "1"));
        await().atMost(WAIT).until(() -> this.second.readFeed(FeedQuery.after(0)).latest() == 2);
        Session expiring = this.second.create(NewSession.anonymous());
        this.clock.advance(TIMEOUT.plusMinutes(1));
        this.first.sweep();
        this.first.close();
        Session later = this.second.create(NewSession.anonymous());
        this.clock.advance(TIMEOUT.plusMinutes(1));

        assertThat(this.second.sweep().expiredSessions()).isEqualTo(1);

        assertThat(this.second.find(later.id())).isEmpty();
        // Sequenced by the second alone now: every entry, in one contiguous feed.
        await().atMost(WAIT).untilAsserted(() -> {
            List<FeedEntry> feed = FeedChecks.readWholeFeed(this.second);
            assertThat(feed).hasSize(7);
            assertThat(feed).filteredOn((entry) -> entry.sessionId().equals(later.id()))
                .extracting(FeedEntry::type)
                .containsExactly(FeedEntryType.SESSION_CREATED, FeedEntryType.SESSION_EXPIRED);
            assertThat(feed).filteredOn((entry) -> entry.sessionId().equals(session.id()))
                .extracting(FeedEntry::type)
                .containsExactly(FeedEntryType.SESSION_CREATED, FeedEntryType.EVENT_APPENDED,
                        FeedEntryType.SESSION_EXPIRED);
            assertThat(feed).filteredOn((entry) -> entry.sessionId().equals(expiring.id()))
                .extracting(FeedEntry::type)
                .containsExactly(FeedEntryType.SESSION_CREATED, FeedEntryType.SESSION_EXPIRED);
        });
    }

    /** Runs {@code task} on real threads that start together; each thread's result by index. */
    static <T> List<T> runConcurrently(int threads, IntFunction<T> task) {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(executor.submit(() -> {
                    start.await();
                    return task.apply(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(2, TimeUnit.MINUTES));
            }
            return results;
        }
        catch (Exception ex) {
            throw new AssertionError("A concurrent task failed", ex);
        }
        finally {
            executor.shutdownNow();
        }
    }

    /** A listener that hears nothing unless a test overrides it. */
    static class Listener implements SessionListener {

        @Override
        public void appended(String sessionId, long latest, List<EventRecord> events) {
        }

        @Override
        public void ephemeral(EphemeralEvent event) {
        }

        @Override
        public void closed(String sessionId, CloseReason reason) {
        }

    }

}
