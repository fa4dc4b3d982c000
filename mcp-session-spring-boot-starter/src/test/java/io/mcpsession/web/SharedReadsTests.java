package io.mcpsession.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mcpsession.core.Cursor;
import io.mcpsession.core.EventPage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Shared reads with real threads: a stream takes the answer of a read under way only when that read began after
 * the stream was woken, so no stream ever gets a page older than the append that woke it.
 */
class SharedReadsTests {

    private static final Cursor AFTER = Cursor.of("e1", 4);

    private final SharedReads reads = new SharedReads(16L * 1024 * 1024);

    private final ExecutorService threads = Executors.newCachedThreadPool();

    private final AtomicInteger storeReads = new AtomicInteger();

    private final CountDownLatch firstReadBegun = new CountDownLatch(1);

    private final CountDownLatch releaseFirstRead = new CountDownLatch(1);

    @AfterEach
    void stopThreads() {
        this.threads.shutdownNow();
    }

    @Test
    void streamsWokenBeforeAReadBeganTakeItsAnswer() throws Exception {
        long wokenAt = System.nanoTime();
        Future<EventPage> first = this.threads.submit(() -> read(wokenAt));
        assertThat(this.firstReadBegun.await(10, TimeUnit.SECONDS)).isTrue();
        AtomicReference<Thread> second = new AtomicReference<>();
        Future<EventPage> joined = this.threads.submit(() -> {
            second.set(Thread.currentThread());
            return read(wokenAt);
        });
        await().atMost(Duration.ofSeconds(10))
            .until(() -> second.get() != null && second.get().getState() == Thread.State.WAITING);
        this.releaseFirstRead.countDown();

        assertThat(joined.get(10, TimeUnit.SECONDS)).isSameAs(first.get(10, TimeUnit.SECONDS));
        assertThat(this.storeReads).hasValue(1);
    }

    @Test
    void aStreamWokenAfterAReadBeganReadsForItself() throws Exception {
        Future<EventPage> first = this.threads.submit(() -> read(System.nanoTime()));
        assertThat(this.firstReadBegun.await(10, TimeUnit.SECONDS)).isTrue();

        EventPage own = read(System.nanoTime());

        assertThat(this.storeReads).hasValue(2);
        this.releaseFirstRead.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isNotSameAs(own);
    }

    @Test
    void aReadJustDoneServesStreamsWokenBeforeItBeganButNotAfter() {
        this.releaseFirstRead.countDown();
        long wokenAt = System.nanoTime();
        EventPage first = read(wokenAt);

        assertThat(read(wokenAt)).isSameAs(first);
        assertThat(this.storeReads).hasValue(1);
        assertThat(read(System.nanoTime())).isNotSameAs(first);
        assertThat(this.storeReads).hasValue(2);
    }

    @Test
    void aFailedReadIsNotSharedAndNothingStaysBehind() {
        Supplier<EventPage> failing = () -> {
            throw new IllegalStateException("store down");
        };
        for (int i = 0; i < 2; i++) {
            assertThatIllegalStateException()
                .isThrownBy(() -> this.reads.read("s1", AFTER, 100, System.nanoTime(), failing))
                .withMessage("store down");
        }
        this.releaseFirstRead.countDown();
        assertThat(read(System.nanoTime())).isNotNull();
        assertThat(this.storeReads).hasValue(1);
    }

    /** A read whose first store call waits until the test releases it. */
    private EventPage read(long wokenAt) {
        return this.reads.read("s1", AFTER, 100, wokenAt, () -> {
            if (this.storeReads.incrementAndGet() == 1) {
                this.firstReadBegun.countDown();
                try {
                    assertThat(this.releaseFirstRead.await(10, TimeUnit.SECONDS)).isTrue();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
            return new EventPage("s1", "e1", List.of(), 4, 1, 4, false, null);
        });
    }

}
