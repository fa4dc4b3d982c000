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

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

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
 * <p>
 * Writes never block: the response is written in the servlet container's non-blocking mode, so a pump hands a page
 * to the container and goes on to other streams. While a client takes no more bytes, its stream reads nothing and
 * waits for the container to say it can write again; one that stays so for the write timeout is ended
 * ({@link #stalledSince()}), and no pool thread ever waits for it.
 */
final class SseStream {

    private static final Log logger = LogFactory.getLog(SseStream.class);

    private static final String KEEPALIVE = SseFrames.comment("keepalive");

    /** The last frame of a stream that failed: the client resumes from its last event id. */
    static final String FAILED = SseFrames.event(null, "stream.ended",
            "{\"reason\":\"failed\",\"detail\":\"The stream could not continue: resume from the last event id\"}");

    /** Ephemeral events a stream may hold for a slow client before it ends the stream instead of dropping any. */
    static final int MAX_PENDING_EPHEMERAL = 1024;

    private final StreamSource source;

    private final Executor executor;

    private final Consumer<SseStream> onEnd;

    private final AtomicBoolean scheduled = new AtomicBoolean();

    private final AtomicBoolean ended = new AtomicBoolean();

    private final AtomicBoolean released = new AtomicBoolean();

    private final ConcurrentLinkedQueue<EphemeralEvent> ephemerals = new ConcurrentLinkedQueue<>();

    private final AtomicInteger pendingEphemerals = new AtomicInteger();

    /** Serializes the container calls of writing with the one that completes the response. */
    private final Object io = new Object();

    private volatile boolean dirty;

    private volatile boolean keepaliveDue;

    /**
     * Whether the pump waits for the container's {@code onWritePossible}: from the start (the container calls it
     * once it can first write) and whenever the client is not taking bytes.
     */
    private volatile boolean waiting = true;

    /** When the client stopped taking bytes ({@link System#nanoTime()}), {@code 0} while it keeps up. */
    private volatile long stalledSince;

    private volatile @Nullable CloseReason closeReason;

    private volatile @Nullable Subscription subscription;

    private volatile @Nullable AsyncContext async;

    /** Touched only by the pump. */
    private @Nullable ServletOutputStream out;

    /** The stream's first frame, until the pump writes it. Touched only by the pump once open. */
    private @Nullable String firstFrame;

    /** Whether bytes were written that the container could not flush yet. Touched only by the pump. */
    private boolean unflushed;

    /** Touched only by the pump. */
    private Cursor cursor;

    SseStream(StreamSource source, Cursor resumeFrom, Executor executor, Consumer<SseStream> onEnd) {
        this.source = source;
        this.cursor = resumeFrom;
        this.executor = executor;
        this.onEnd = onEnd;
    }

    /**
     * Subscribes, then starts the response: status, SSE headers, asynchronous and non-blocking. The pump writes
     * {@code firstFrame} first, then replays from the resume point: wake-ups that come meanwhile are not lost.
     * A failure to subscribe leaves the response untouched, for an error response.
     */
    void open(HttpServletRequest request, HttpServletResponse response, String firstFrame) throws IOException {
        this.firstFrame = firstFrame;
        this.subscription = this.source.subscribe(this);
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache, no-transform");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        this.async = async;
        async.addListener(new AsyncListener() {

            @Override
            public void onComplete(AsyncEvent event) {
                release();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                end();
            }

            @Override
            public void onError(AsyncEvent event) {
                end();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }

        });
        // The headers go at once, so that the client sees the stream open before its first event.
        response.flushBuffer();
        ServletOutputStream out = response.getOutputStream();
        this.out = out;
        out.setWriteListener(new WriteListener() {

            @Override
            public void onWritePossible() {
                SseStream.this.waiting = false;
                signal();
            }

            @Override
            public void onError(Throwable ex) {
                end();
            }

        });
    }

    @Nullable String sessionId() {
        return this.source.sessionId();
    }

    /** The log moved. */
    void signal() {
        this.dirty = true;
        if (!this.waiting && !this.ended.get() && this.scheduled.compareAndSet(false, true)) {
            this.executor.execute(this::pump);
        }
    }

    void ephemeral(EphemeralEvent event) {
        if (this.pendingEphemerals.incrementAndGet() > MAX_PENDING_EPHEMERAL) {
            logger.debug("Ending an SSE stream whose client fell behind its ephemeral events");
            end();
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
        this.keepaliveDue = true;
        signal();
    }

    /** Since when ({@link System#nanoTime()}) the client has taken no bytes, or {@code 0} while it keeps up. */
    long stalledSince() {
        return this.stalledSince;
    }

    /** Ends the stream (for example at shutdown); the client resumes from its last event id. */
    void end() {
        if (this.ended.compareAndSet(false, true)) {
            try {
                synchronized (this.io) {
                    AsyncContext async = this.async;
                    if (async != null) {
                        async.complete();
                    }
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
            while (!this.ended.get() && writable()) {
                this.dirty = false;
                deliver();
                if (!this.dirty) {
                    break;
                }
            }
        }
        catch (IOException | IllegalStateException ex) {
            // The client went away (or the response is already complete): it resumes from its last event id.
            end();
        }
        catch (McpSessionException ex) {
            if (ex.code() == ErrorCode.SESSION_NOT_FOUND) {
                this.closeReason = (this.closeReason != null) ? this.closeReason : CloseReason.DELETED;
                sendClosedQuietly();
            }
            else {
                logger.debug("An SSE stream ended: " + ex.getMessage());
                end();
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

    /** Writes what is due, until the client takes no more for now (then the pump resumes on onWritePossible). */
    private void deliver() throws IOException {
        String first = this.firstFrame;
        if (first != null) {
            this.firstFrame = null;
            if (!write(first)) {
                return;
            }
        }
        if (this.closeReason != null) {
            sendClosedQuietly();
            return;
        }
        if (this.keepaliveDue) {
            this.keepaliveDue = false;
            if (!write(KEEPALIVE)) {
                return;
            }
        }
        StreamSource.Chunk chunk;
        do {
            chunk = this.source.next(this.cursor);
            // Handed to the container, the frames are the client's: the cursor moves past them.
            this.cursor = chunk.cursor();
            if (!chunk.frames().isEmpty() && !write(chunk.frames())) {
                return;
            }
        }
        while (chunk.more() && !this.ended.get());
        EphemeralEvent ephemeral;
        while ((ephemeral = this.ephemerals.poll()) != null) {
            this.pendingEphemerals.decrementAndGet();
            if (!write(SseFrames.event(null, ephemeral.type(), JsonText.toJson(ephemeral)))) {
                return;
            }
        }
        if (this.closeReason != null) {
            sendClosedQuietly();
        }
    }

    private void sendClosedQuietly() {
        CloseReason reason = (this.closeReason != null) ? this.closeReason : CloseReason.DELETED;
        try {
            String data = JsonText.toJson(new SessionClosed(String.valueOf(this.source.sessionId()), reason.value()));
            write(SseFrames.event(null, "session.closed", data));
        }
        catch (IOException | IllegalStateException ex) {
            // The client is gone already.
        }
        end();
    }

    /** Sends {@code stream.ended} (no {@code id:}, so the resume point stays) and ends the stream. */
    private void failQuietly() {
        try {
            write(FAILED);
        }
        catch (Throwable ex) {
            // The client is gone, or there is no memory for even this: ending is all that is left.
        }
        end();
    }

    private boolean write(String frame) throws IOException {
        return write(frame.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes a page of frames as one write, encoded once into one buffer. */
    private boolean write(List<String> frames) throws IOException {
        ByteArrayOutputStream page = new ByteArrayOutputStream(frames.size() * 256);
        for (String frame : frames) {
            page.writeBytes(frame.getBytes(StandardCharsets.UTF_8));
        }
        return write(page.toByteArray());
    }

    /**
     * Hands {@code bytes} to the container and flushes them if it can.
     * @return whether the client takes more now; if not, the rest of the stream waits for onWritePossible
     */
    private boolean write(byte[] bytes) throws IOException {
        synchronized (this.io) {
            if (this.ended.get()) {
                throw new IOException("The SSE stream has ended");
            }
            ServletOutputStream out = requireOut();
            out.write(bytes);
            this.unflushed = true;
        }
        if (!writable()) {
            // What waits to be read again when the client catches up.
            this.dirty = true;
            return false;
        }
        return true;
    }

    /**
     * Whether the client takes bytes now, after flushing what it could not take before; when it does not, the
     * container calls onWritePossible once it does.
     */
    private boolean writable() throws IOException {
        synchronized (this.io) {
            if (this.ended.get()) {
                return false;
            }
            ServletOutputStream out = requireOut();
            // Waiting before asking: an onWritePossible right after a "not ready" clears it and resumes the pump.
            this.waiting = true;
            if (out.isReady() && this.unflushed) {
                this.unflushed = false;
                out.flush();
            }
            if (!out.isReady()) {
                if (this.stalledSince == 0) {
                    this.stalledSince = System.nanoTime();
                }
                return false;
            }
            this.waiting = false;
            this.stalledSince = 0;
            return true;
        }
    }

    private ServletOutputStream requireOut() throws IOException {
        ServletOutputStream out = this.out;
        if (out == null) {
            throw new IOException("The SSE stream is not open");
        }
        return out;
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
