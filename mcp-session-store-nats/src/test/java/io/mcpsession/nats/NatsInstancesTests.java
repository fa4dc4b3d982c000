package io.mcpsession.nats;

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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.SweepResult;
import io.mcpsession.tck.FeedChecks;
import io.mcpsession.tck.MutableClock;
import io.mcpsession.tck.RecordingSessionListener;
import io.mcpsession.testengines.TestNats;
import io.nats.client.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the store on one NATS, each with a connection of its own: a reader on one wakes when the
 * other appends, appends from both share one contiguous order, and only one of them sweeps at a time.
 */
@Timeout(180)
class NatsInstancesTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Long enough that no position check runs: the instances hear each other by core NATS alone. */
    private static final Duration NO_CHECK = Duration.ofHours(1);

    private final MutableClock clock = MutableClock.startingNow();

    private final String prefix = NatsTestSupport.newPrefix();

    private final List<Connection> connections = new ArrayList<>();

    private final List<NatsSessionStore> stores = new ArrayList<>();

    private final ExecutorService executor = Executors.newCachedThreadPool();

    private NatsSessionStore instance(StoreSettings settings) {
        Connection connection = NatsTestSupport.connect(TestNats.url());
        this.connections.add(connection);
        NatsSessionStore store = new NatsSessionStore(connection, settings, this.prefix, this.clock, NO_CHECK);
        this.stores.add(store);
        return store;
    }

    @AfterEach
    void closeEverything() throws InterruptedException {
        this.executor.shutdownNow();
        this.stores.forEach(NatsSessionStore::close);
        if (!this.stores.isEmpty()) {
            this.stores.get(0).deleteEverything();
        }
        for (Connection connection : this.connections) {
            connection.close();
        }
    }

    @Test
    void readerOnOneInstanceWakesWhenTheOtherAppendsPublishesOrDeletes() {
        NatsSessionStore a = instance(StoreSettings.defaults());
        NatsSessionStore b = instance(StoreSettings.defaults());
        Session session = a.create(NewSession.anonymous());
        RecordingSessionListener listener = new RecordingSessionListener();
        b.subscribe(session.id(), listener);
        AtomicInteger feedMoves = new AtomicInteger();
        b.subscribeFeed((latest) -> feedMoves.incrementAndGet());

        EventRecord event = a.append(session.id(), NewEvent.of("message", "1")).event();
        a.publishEphemeral(session.id(), new NewEvent("tick", "progress", "2", null, null, true));

        await().atMost(WAIT).untilAsserted(() -> assertThat(listener.latest).hasValue(event.seq()));
        await().atMost(WAIT).untilAsserted(() -> assertThat(listener.ephemerals).extracting((e) -> e.id())
            .containsExactly("tick"));
        await().atMost(WAIT).until(() -> feedMoves.get() > 0);
        assertThat(b.read(session.id(), EventQuery.after(0)).events()).containsExactly(event);

        a.delete(session.id());

        await().atMost(WAIT).untilAsserted(() -> assertThat(listener.closed).containsExactly(CloseReason.DELETED));
    }

    @Test
    void appendsFromBothInstancesShareOneContiguousOrder() throws Exception {
        NatsSessionStore a = instance(StoreSettings.defaults());
        NatsSessionStore b = instance(StoreSettings.defaults());
        Session session = a.create(NewSession.anonymous());
        int threadsPerInstance = 4;
        int perThread = 40;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<EventRecord>>> writers = new ArrayList<>();
        for (NatsSessionStore store : List.of(a, b)) {
            for (int t = 0; t < threadsPerInstance; t++) {
                writers.add(this.executor.submit(() -> {
                    start.await();
                    List<EventRecord> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(store.append(session.id(), NewEvent.of("message", "1")).event());
                    }
                    return mine;
                }));
            }
        }

        start.countDown();
        List<EventRecord> acknowledged = new ArrayList<>();
        for (Future<List<EventRecord>> writer : writers) {
            List<EventRecord> mine = writer.get(120, TimeUnit.SECONDS);
            assertThat(mine).extracting(EventRecord::seq).as("one writer's seqs grow").isSorted();
            acknowledged.addAll(mine);
        }

        int total = 2 * threadsPerInstance * perThread;
        assertThat(acknowledged).extracting(EventRecord::seq).doesNotHaveDuplicates().hasSize(total);
        for (NatsSessionStore store : List.of(a, b)) {
            EventPage page = store.read(session.id(), EventQuery.after(0).withLimit(1000));
            assertThat(page.events()).extracting(EventRecord::seq)
                .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
            assertThat(page.events()).containsExactlyInAnyOrderElementsOf(acknowledged);
        }
        Map<String, Map<Long, String>> expected = FeedChecks.bySession(acknowledged);
        await().atMost(WAIT).until(() -> FeedChecks.holdsEvery(b, expected));
        assertThat(FeedChecks.appendedEventIds(FeedChecks.readWholeFeed(a))).isEqualTo(expected);
        assertThat(a.readFeed(FeedQuery.after(0)).latest()).isEqualTo(total + 1);
    }

    @Test
    void onlyOneInstanceSweepsAtATime() throws Exception {
        StoreSettings settings = StoreSettings.defaults().withTimeout(Duration.ofMinutes(5));
        NatsSessionStore a = instance(settings);
        NatsSessionStore b = instance(settings);
        Session expiring = a.create(NewSession.anonymous());
        this.clock.advance(Duration.ofMinutes(6));
        CountDownLatch aSweeping = new CountDownLatch(1);
        CountDownLatch aMayFinish = new CountDownLatch(1);
        AtomicInteger bSweeps = new AtomicInteger();
        a.whileSweeping(() -> {
            aSweeping.countDown();
            try {
                aMayFinish.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        b.whileSweeping(bSweeps::incrementAndGet);

        CompletableFuture<SweepResult> aSweep = CompletableFuture.supplyAsync(a::sweep, this.executor);
        assertThat(aSweeping.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("a holds the lease").isTrue();
        SweepResult bWhileASweeps = b.sweep();
        aMayFinish.countDown();

        assertThat(bWhileASweeps).isEqualTo(SweepResult.EMPTY);
        assertThat(bSweeps).as("b never swept while a held the lease").hasValue(0);
        assertThat(aSweep.get(WAIT.toMillis(), TimeUnit.MILLISECONDS).expiredSessions()).isEqualTo(1);
        assertThat(b.find(expiring.id())).isEmpty();
        // The lease is free again: b sweeps now, and finds nothing left to expire.
        assertThat(b.sweep().expiredSessions()).isZero();
        assertThat(bSweeps).hasValue(1);
    }

}
