package io.mcpsession.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.Cursor;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.JsonText;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.sse.SseFrames;
import io.mcpsession.store.Subscription;

/**
 * One open SSE connection. Wake-ups only mark it dirty; a single pump task at a time reads from the store after
 * the stream's cursor and writes, so replay and live delivery are the same loop: no gap, no duplicate, and a slow
 * client only ever holds one page in memory.
 */
final class SseStream {

    private static final Log logger = LogFactory.getLog(SseStream.class);

    private static final String KEEPALIVE = SseFrames.comment("keepalive");

    /** The last frame of a stream that failed: the client resumes from its last event id. */
    static final String FAILED = SseFrames.event(null, "stream.ended",
            "{\"reason\":\"failed\",\"detail\":\"The stream could not continue: resume from the last event id\"}");

    /** Ephemeral events a stream may hold for a slow client before it ends the stream instead of dropping any. */
    static final int MAX_PENDING_EPHEMERAL = 1024;

    private final ResponseBodyEmitter emitter;

    private final StreamSource source;

    private final Executor executor;

    private final Consumer<SseStream> onEnd;

    private final AtomicBoolean scheduled = new AtomicBoolean();

    private final AtomicBoolean ended = new AtomicBoolean();

    private final AtomicBoolean released = new AtomicBoolean();

    private final ConcurrentLinkedQueue<EphemeralEvent> ephemerals = new ConcurrentLinkedQueue<>();

    private final AtomicInteger pendingEphemerals = new AtomicInteger();

    private volatile boolean dirty;

    private volatile boolean keepaliveDue;

    private volatile @Nullable CloseReason closeReason;

    private volatile @Nullable Subscription subscription;

    /** Touched only by the pump. */
    private Cursor cursor;

    SseStream(ResponseBodyEmitter emitter, StreamSource source, Cursor resumeFrom, Executor executor, Consumer<SseStream> onEnd) {
        this.emitter = emitter;
        this.source = source;
        this.cursor = resumeFrom;
        this.executor = executor;
        this.onEnd = onEnd;
        emitter.onCompletion(this::release);
        emitter.onTimeout(this::release);
        emitter.onError((ex) -> release());
    }

    /** Writes the first frame, subscribes, then replays: wake-ups that come during the replay are not lost. */
    void open(String firstFrame) throws IOException {
        this.emitter.send(firstFrame.getBytes(StandardCharsets.UTF_8));
        Subscription subscription = this.source.subscribe(this);
        this.subscription = subscription;
        if (this.released.get()) {
            subscription.close();
            return;
        }
        signal();
    }

    @Nullable String sessionId() {
        return this.source.sessionId();
    }

    /** The log moved. */
    void signal() {
        this.dirty = true;
        if (!this.ended.get() && this.scheduled.compareAndSet(false, true)) {
            this.executor.execute(this::pump);
        }
    }

    void ephemeral(EphemeralEvent event) {
        if (this.pendingEphemerals.incrementAndGet() > MAX_PENDING_EPHEMERAL) {
            logger.debug("Ending an SSE stream whose client fell behind its ephemeral events");
            end(null);
            return;
        }
        this.ephemerals.add(event);
        signal();
    }

    void closed(CloseReason reason) {
        this.closeReason = reason;
        signal();
    }

    void keepalive() {
        if (this.subscription == null) {
            // Still writing its first frame (the retry): a keepalive now could go out before it.
            return;
        }
        this.keepaliveDue = true;
        signal();
    }

    /** Ends the stream (for example at shutdown); the client resumes from its last event id. */
    void end(@Nullable Throwable failure) {
        if (this.ended.compareAndSet(false, true)) {
            try {
                if (failure != null) {
                    this.emitter.completeWithError(failure);
                }
                else {
                    this.emitter.complete();
                }
            }
            catch (IllegalStateException ex) {
                // The container already ended the response (its client went away): nothing is left to complete.
            }
            finally {
                release();
            }
        }
    }

    private void pump() {
        try {
            while (!this.ended.get()) {
                this.dirty = false;
                deliver();
                if (!this.dirty) {
                    break;
                }
            }
        }
        catch (IOException | IllegalStateException ex) {
            // The client went away (or the response is already complete): it resumes from its last event id.
            end(null);
        }
        catch (McpSessionException ex) {
            if (ex.code() == ErrorCode.SESSION_NOT_FOUND) {
                this.closeReason = (this.closeReason != null) ? this.closeReason : CloseReason.DELETED;
                sendClosedQuietly();
            }
            else {
                end(ex);
            }
        }
        catch (Throwable ex) {
            // Anything else (an OutOfMemoryError too) ends the stream with a reason rather than leaving it open
            // with nothing but keepalives: the client resumes from its last event id.
            logger.warn("An SSE stream failed; its client will resume", ex);
            failQuietly();
        }
        finally {
            this.scheduled.set(false);
        }
        if (this.dirty && !this.ended.get()) {
            signal();
        }
    }

    private void deliver() throws IOException {
        if (this.closeReason != null) {
            sendClosedQuietly();
            return;
        }
        if (this.keepaliveDue) {
            this.keepaliveDue = false;
            send(KEEPALIVE);
        }
        StreamSource.Chunk chunk;
        do {
            chunk = this.source.next(this.cursor);
            if (!chunk.frames().isEmpty()) {
                send(chunk.frames());
            }
            this.cursor = chunk.cursor();
        }
        while (chunk.more() && !this.ended.get());
        EphemeralEvent ephemeral;
        while ((ephemeral = this.ephemerals.poll()) != null) {
            this.pendingEphemerals.decrementAndGet();
            send(SseFrames.event(null, ephemeral.type(), JsonText.toJson(ephemeral)));
        }
        if (this.closeReason != null) {
            sendClosedQuietly();
        }
    }

    private void sendClosedQuietly() {
        CloseReason reason = (this.closeReason != null) ? this.closeReason : CloseReason.DELETED;
        try {
            String data = JsonText.toJson(new SessionClosed(String.valueOf(this.source.sessionId()), reason.value()));
            send(SseFrames.event(null, "session.closed", data));
        }
        catch (IOException | IllegalStateException ex) {
            // The client is gone already.
        }
        end(null);
    }

    /** Sends {@code stream.ended} (no {@code id:}, so the resume point stays) and ends the stream. */
    private void failQuietly() {
        try {
            send(FAILED);
        }
        catch (Throwable ex) {
            // The client is gone, or there is no memory for even this: ending is all that is left.
        }
        end(null);
    }

    private void send(String frame) throws IOException {
        this.emitter.send(frame.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a page of frames as one write, encoded once into one buffer. */
    private void send(List<String> frames) throws IOException {
        ByteArrayOutputStream page = new ByteArrayOutputStream(frames.size() * 256);
        for (String frame : frames) {
            page.writeBytes(frame.getBytes(StandardCharsets.UTF_8));
        }
        this.emitter.send(page.toByteArray());
    }

    private void release() {
        this.ended.set(true);
        if (this.released.compareAndSet(false, true)) {
            Subscription subscription = this.subscription;
            if (subscription != null) {
                subscription.close();
            }
            this.onEnd.accept(this);
        }
    }

    /** The data of a {@code session.closed} event. */
    @JsonPropertyOrder({ "sessionId", "reason" })
    record SessionClosed(String sessionId, String reason) {
    }

}
