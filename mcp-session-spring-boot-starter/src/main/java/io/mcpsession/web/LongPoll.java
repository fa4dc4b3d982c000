package io.mcpsession.web;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.async.DeferredResult;

import io.mcpsession.core.JsonText;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.store.Subscription;

/**
 * A read that waits for something to read. It subscribes before its first read, holds no thread while it waits,
 * re-reads when the store says the log moved, and answers with whatever the store holds when the wait is over.
 *
 * @param <P> the page type
 */
final class LongPoll<P> {

    private final DeferredResult<ResponseEntity<byte[]>> result;

    private final Supplier<P> read;

    private final Predicate<P> ready;

    private final Executor executor;

    private final Consumer<LongPoll<P>> onEnd;

    private final AtomicBoolean released = new AtomicBoolean();

    private volatile @Nullable Subscription subscription;

    private volatile @Nullable ScheduledFuture<?> timeout;

    /**
     * @param read reads the page (from the store, the truth)
     * @param ready whether a page is worth answering before the wait is over
     * @param executor where re-reads run, off the notifying thread
     * @param onEnd called once when the poll is answered or abandoned
     */
    LongPoll(Supplier<P> read, Predicate<P> ready, Executor executor, Duration wait, Consumer<LongPoll<P>> onEnd) {
        this.onEnd = onEnd;
        this.read = read;
        this.ready = ready;
        this.executor = executor;
        // The servlet container's own timeout is only a backstop; ours answers on time.
        this.result = new DeferredResult<>(wait.toMillis() + 10_000);
        this.result.onTimeout(this::answerWithRead);
        this.result.onCompletion(this::release);
        this.result.onError((ex) -> release());
    }

    DeferredResult<ResponseEntity<byte[]>> result() {
        return this.result;
    }

    /**
     * Subscribes with {@code subscribe}, reads, and either answers at once or waits up to {@code wait}.
     */
    DeferredResult<ResponseEntity<byte[]>> start(Function<LongPoll<P>, Subscription> subscribe,
            ScheduledExecutorService scheduler, Duration wait) {
        this.subscription = subscribe.apply(this);
        P page;
        try {
            page = this.read.get();
        }
        catch (RuntimeException ex) {
            release();
            throw ex;
        }
        if (this.ready.test(page) || wait.isZero()) {
            answer(page);
            return this.result;
        }
        this.timeout = scheduler.schedule(() -> this.executor.execute(this::answerWithRead), wait.toMillis(),
                TimeUnit.MILLISECONDS);
        return this.result;
    }

    /** The log moved: answer if there is now something to read. */
    void signal() {
        if (this.result.isSetOrExpired()) {
            return;
        }
        this.executor.execute(() -> {
            if (this.result.isSetOrExpired()) {
                return;
            }
            try {
                P page = this.read.get();
                if (this.ready.test(page)) {
                    answer(page);
                }
            }
            catch (McpSessionException ex) {
                fail(ex);
            }
            catch (Throwable ex) {
                // Answered now, not left waiting for its timeout.
                this.result.setResult(ApiProblem.internal().toResponse());
            }
        });
    }

    /** Answers at once with what the store holds (the instance is shutting down). */
    void answerNow() {
        this.executor.execute(this::answerWithRead);
    }

    /** The session ended while the poll waited. */
    void fail(McpSessionException ex) {
        this.result.setResult(ApiProblem.of(ex).toResponse());
    }

    private void answerWithRead() {
        if (this.result.isSetOrExpired()) {
            return;
        }
        try {
            answer(this.read.get());
        }
        catch (McpSessionException ex) {
            fail(ex);
        }
        catch (Throwable ex) {
            this.result.setResult(ApiProblem.internal().toResponse());
        }
    }

    private void answer(P page) {
        this.result.setResult(ResponseEntity.ok()
            .header("Content-Type", "application/json")
            .body(JsonText.toJsonBytes(page)));
    }

    private void release() {
        if (this.released.compareAndSet(false, true)) {
            this.onEnd.accept(this);
        }
        Subscription subscription = this.subscription;
        if (subscription != null) {
            subscription.close();
        }
        ScheduledFuture<?> timeout = this.timeout;
        if (timeout != null) {
            timeout.cancel(false);
        }
    }

}
