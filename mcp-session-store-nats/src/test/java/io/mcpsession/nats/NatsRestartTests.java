package io.mcpsession.nats;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.tck.FeedChecks;
import io.mcpsession.tck.RecordingSessionListener;
import io.nats.client.Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * NATS killed ({@code SIGKILL}) under load and restarted on the same port and store directory: while it is down
 * the store answers {@code STORE_UNAVAILABLE}; afterwards it recovers by itself, every append acknowledged before
 * the kill is there with its seq in the same epoch, the feed holds one entry for each stored event in a contiguous
 * order, and wake-ups between instances resume (their subscription comes back by itself).
 */
@Timeout(300)
class NatsRestartTests {

    private static final int SESSIONS = 4;

    private static final int APPENDERS = 8;

    private static final Duration RECOVERY = Duration.ofSeconds(90);

    /** Long enough that no position check runs: the instances hear each other by core NATS alone. */
    private static final Duration NO_CHECK = Duration.ofHours(1);

    private final OwnNatsServer server = OwnNatsServer.start();

    private final List<Connection> connections = new ArrayList<>();

    private final List<NatsSessionStore> stores = new ArrayList<>();

    private final ExecutorService executor = Executors.newCachedThreadPool();

    private final AtomicBoolean stop = new AtomicBoolean();

    private final ConcurrentLinkedQueue<AppendResult> acknowledged = new ConcurrentLinkedQueue<>();

    private final AtomicLong unavailable = new AtomicLong();

    private final ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();

    private NatsSessionStore instance() {
        Connection connection = NatsTestSupport.connect(this.server.url());
        this.connections.add(connection);
        NatsSessionStore store = new NatsSessionStore(connection, StoreSettings.defaults(), "MCP", Clock.systemUTC(),
                NO_CHECK);
        this.stores.add(store);
        return store;
    }

    @AfterEach
    void stopEverything() throws InterruptedException {
        this.stop.set(true);
        this.executor.shutdownNow();
        this.stores.forEach(NatsSessionStore::close);
        for (Connection connection : this.connections) {
            connection.close();
        }
        this.server.close();
    }

    @Test
    void killedUnderLoadItIsUnavailableThenRecoversWithEveryAcknowledgedAppend() throws Exception {
        NatsSessionStore a = instance();
        NatsSessionStore b = instance();
        Map<String, String> epochs = new HashMap<>();
        for (int s = 0; s < SESSIONS; s++) {
            a.create(NewSession.withId("r" + s));
            epochs.put("r" + s, a.position("r" + s).epoch());
        }
        RecordingSessionListener listener = new RecordingSessionListener();
        b.subscribe("r0", listener);
        List<Future<?>> appenders = new ArrayList<>();
        for (int t = 0; t < APPENDERS; t++) {
            appenders.add(this.executor.submit(appender(a, "r" + (t % SESSIONS), "t" + t)));
        }
        await().atMost(RECOVERY).until(() -> this.acknowledged.size() >= 400);

        this.server.kill();

        McpSessionException down = catchThrowableOfType(McpSessionException.class,
                () -> a.append("r0", NewEvent.of("while-down", "message", "0")));
        assertThat(down.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(catchThrowableOfType(McpSessionException.class, () -> b.read("r1", EventQuery.after(0))).code())
            .isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        await().atMost(RECOVERY).until(() -> this.unavailable.get() >= APPENDERS);
        int acknowledgedBeforeRestart = this.acknowledged.size();

        this.server.restart();

        await().atMost(RECOVERY).until(() -> this.acknowledged.size() >= acknowledgedBeforeRestart + 400);
        this.stop.set(true);
        for (Future<?> appender : appenders) {
            appender.get(60, TimeUnit.SECONDS);
        }
        assertThat(this.unexpected).isEmpty();
        Map<String, Map<Long, String>> logs = new HashMap<>();
        for (int s = 0; s < SESSIONS; s++) {
            String sessionId = "r" + s;
            assertThat(b.position(sessionId).epoch()).isEqualTo(epochs.get(sessionId));
            logs.put(sessionId, log(b, sessionId));
        }
        for (AppendResult result : this.acknowledged) {
            EventRecord event = result.event();
            assertThat(logs.get(event.sessionId())).containsEntry(event.seq(), event.id());
        }
        Map<String, Map<Long, String>> acknowledgedIds = FeedChecks
            .bySession(this.acknowledged.stream().map(AppendResult::event).toList());
        await().atMost(RECOVERY).until(() -> FeedChecks.holdsEvery(b, acknowledgedIds));
        // Appends the outage left unacknowledged may be stored all the same: the feed holds exactly what is stored.
        await().atMost(RECOVERY).untilAsserted(() -> assertThat(
                FeedChecks.appendedEventIds(FeedChecks.readWholeFeed(b)))
            .as("one feed entry for each stored event, none for anything else")
            .isEqualTo(currentLogs(b)));

        // Wake-ups come back by themselves: ephemeral events travel by core NATS only.
        await().atMost(RECOVERY).pollInterval(Duration.ofMillis(200)).until(() -> {
            a.publishEphemeral("r0", new NewEvent(null, "ping", "1", null, null, true));
            return !listener.ephemerals.isEmpty();
        });
        long latest = a.append("r0", NewEvent.of("after-restart", "message", "1")).event().seq();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(listener.latest).hasValue(latest));
    }

    /** Appends until stopped, remembering what was acknowledged; an unavailable store is expected for a while. */
    private Runnable appender(NatsSessionStore store, String sessionId, String name) {
        return () -> {
            long n = 0;
            while (!this.stop.get()) {
                try {
                    this.acknowledged.add(store.append(sessionId, NewEvent.of(name + "-" + n++, "message", "1")));
                }
                catch (McpSessionException ex) {
                    if (ex.code() == ErrorCode.STORE_UNAVAILABLE) {
                        this.unavailable.incrementAndGet();
                    }
                    else {
                        this.unexpected.add(ex);
                    }
                }
                catch (RuntimeException ex) {
                    this.unexpected.add(ex);
                }
            }
        };
    }

    private static Map<String, Map<Long, String>> currentLogs(NatsSessionStore store) {
        Map<String, Map<Long, String>> logs = new HashMap<>();
        for (int s = 0; s < SESSIONS; s++) {
            logs.put("r" + s, log(store, "r" + s));
        }
        return logs;
    }

    /** Every event of a session's log, seq to id; the seqs are contiguous from 1. */
    private static Map<Long, String> log(NatsSessionStore store, String sessionId) {
        Map<Long, String> log = new HashMap<>();
        List<Long> seqs = new ArrayList<>();
        long after = 0;
        while (true) {
            EventPage page = store.read(sessionId, EventQuery.after(after).withLimit(1000));
            page.events().forEach((event) -> {
                log.put(event.seq(), event.id());
                seqs.add(event.seq());
            });
            if (page.nextCursor() >= page.latest()) {
                assertThat(seqs).containsExactlyElementsOf(LongStream.rangeClosed(1, page.latest()).boxed().toList());
                return log;
            }
            after = page.nextCursor();
        }
    }

}
