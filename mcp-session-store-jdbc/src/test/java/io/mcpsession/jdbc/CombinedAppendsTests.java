package io.mcpsession.jdbc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Flat combining of appends with real threads: callers that queue while a session's turn is taken are written
 * together, in arrival order, and each gets its own results or its own error.
 */
class CombinedAppendsTests {

    private static final String SESSION = "s1";

    private final ExecutorService callers = Executors.newCachedThreadPool();

    /** Every transaction the writer ran, as the ids it wrote. */
    private final List<List<String>> transactions = new CopyOnWriteArrayList<>();

    private final CountDownLatch firstTransaction = new CountDownLatch(1);

    private final CountDownLatch releaseFirst = new CountDownLatch(1);

    private long lastSeq;

    @AfterEach
    void stopCallers() {
        this.callers.shutdownNow();
    }

    @Test
    void batchesQueuedDuringATurnShareTheNextTransactionInArrivalOrder() throws Exception {
        CombinedAppends appends = new CombinedAppends(this::blockingFirstWrite);
        Future<List<AppendResult>> first = this.callers.submit(() -> appends.append(SESSION, events("a")));
        assertThat(this.firstTransaction.await(10, TimeUnit.SECONDS)).isTrue();
        List<Future<List<AppendResult>>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = "b" + i;
            queued.add(this.callers.submit(() -> appends.append(SESSION, events(id + "-1", id + "-2"))));
            int expected = i + 1;
            await().atMost(Duration.ofSeconds(10)).until(() -> appends.queued() == expected);
        }
        this.releaseFirst.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).extracting((result) -> result.event().seq()).containsExactly(1L);
        for (int i = 0; i < 5; i++) {
            assertThat(queued.get(i).get(10, TimeUnit.SECONDS)).extracting((result) -> result.event().id())
                .containsExactly("b" + i + "-1", "b" + i + "-2");
            assertThat(queued.get(i).get()).extracting((result) -> result.event().seq())
                .containsExactly(2L + 2 * i, 3L + 2 * i);
        }
        // Every caller has its results, so every transaction has run: the queued ones ran as one.
        assertThat(this.transactions).hasSize(2);
        assertThat(this.transactions.get(1)).containsExactly("b0-1", "b0-2", "b1-1", "b1-2", "b2-1", "b2-2", "b3-1",
                "b3-2", "b4-1", "b4-2");
        assertThat(appends.queued()).isZero();
    }

    @Test
    void aBatchThatFailsTogetherIsWrittenAloneSoOnlyItsCallerSeesTheError() throws Exception {
        CombinedAppends appends = new CombinedAppends((sessionId, events) -> {
            if (events.stream().anyMatch((event) -> "bad".equals(event.id()))) {
                this.transactions.add(List.of("failed"));
                throw new McpSessionException(ErrorCode.MAX_EVENTS_REACHED, "full");
            }
            return blockingFirstWrite(sessionId, events);
        });
        Future<List<AppendResult>> first = this.callers.submit(() -> appends.append(SESSION, events("a")));
        assertThat(this.firstTransaction.await(10, TimeUnit.SECONDS)).isTrue();
        Future<List<AppendResult>> good = this.callers.submit(() -> appends.append(SESSION, events("good")));
        await().atMost(Duration.ofSeconds(10)).until(() -> appends.queued() == 1);
        Future<List<AppendResult>> bad = this.callers.submit(() -> appends.append(SESSION, events("bad")));
        await().atMost(Duration.ofSeconds(10)).until(() -> appends.queued() == 2);
        this.releaseFirst.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).hasSize(1);
        assertThat(good.get(10, TimeUnit.SECONDS)).extracting((result) -> result.event().seq()).containsExactly(2L);
        assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
            .isThrownBy(() -> bad.get(10, TimeUnit.SECONDS))
            .havingCause()
            .isInstanceOf(McpSessionException.class)
            .satisfies((ex) -> assertThat(((McpSessionException) ex).code()).isEqualTo(ErrorCode.MAX_EVENTS_REACHED));
        assertThat(this.transactions).containsExactly(List.of("a"), List.of("failed"), List.of("good"),
                List.of("failed"));
    }

    @Test
    void otherSessionsNeitherWaitForThisOneNorShareItsTransaction() throws Exception {
        CombinedAppends appends = new CombinedAppends(this::blockingFirstWrite);
        Future<List<AppendResult>> first = this.callers.submit(() -> appends.append("s1", events("a")));
        assertThat(this.firstTransaction.await(10, TimeUnit.SECONDS)).isTrue();

        assertThat(this.callers.submit(() -> appends.append("s2", events("b"))).get(10, TimeUnit.SECONDS))
            .extracting((result) -> result.event().sessionId())
            .containsExactly("s2");
        this.releaseFirst.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).hasSize(1);
        assertThat(this.transactions).containsExactly(List.of("a"), List.of("b"));
        assertThat(appends.sessionsUnderWay()).isZero();
    }

    /** A writer that numbers events from 1 and holds its first transaction until the test releases it. */
    private List<AppendResult> blockingFirstWrite(String sessionId, List<NewEvent> events) {
        this.transactions.add(events.stream().map(NewEvent::id).toList());
        if (this.firstTransaction.getCount() > 0) {
            this.firstTransaction.countDown();
            try {
                assertThat(this.releaseFirst.await(10, TimeUnit.SECONDS)).isTrue();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }
        List<AppendResult> results = new ArrayList<>();
        for (NewEvent event : events) {
            results.add(new AppendResult(new EventRecord(sessionId, ++this.lastSeq, event.id(), "message", "{}", null,
                    "{}", Instant.EPOCH, "e1"), false));
        }
        return results;
    }

    private static List<NewEvent> events(String... ids) {
        return java.util.Arrays.stream(ids).map((id) -> NewEvent.of(id, "message", "{}")).toList();
    }

}
