package io.mcpsession.mcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import io.mcpsession.sse.SseFrames;

/**
 * One HTTP response held open as a Server-Sent Events stream. Streams that this transport's own threads write (GET
 * streams, live and resumed) are written in the servlet container's non-blocking mode: a write never waits for
 * the client. What a client does not take at once waits here, in order, and goes when the container says it can
 * write; a client that leaves more than {@link #MAX_PENDING_BYTES} waiting, or takes nothing for the write timeout
 * ({@link #stalledSince()}), has its connection ended. Everything sent is in the log first, so such a client loses
 * nothing: it resumes from its last event id. A request's own stream is written in blocking mode by the thread
 * that runs the request. The first failed write, or the container telling that the client left, ends the
 * connection and runs {@code onGone} once.
 */
final class SseConnection {

    /** The most bytes a client that is not reading may leave waiting before its connection ends. */
    static final int MAX_PENDING_BYTES = 1024 * 1024;

    private static final String KEEPALIVE = SseFrames.comment("keepalive");

    private final AsyncContext async;

    private final ServletOutputStream out;

    private final Set<SseConnection> open;

    /** Whether writes never wait for the client (else they block, as a servlet's usually do). */
    private final boolean nonBlocking;

    private final AtomicBoolean ended = new AtomicBoolean();

    /** Whether the connection ends once what waits has gone. Guarded by this. */
    private boolean closing;

    private volatile Runnable onGone = () -> {
    };

    private volatile Runnable onDrained = () -> {
    };

    /** Frames the client did not take yet, in order. Guarded by this. */
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();

    /** The bytes of {@link #pending}. Guarded by this. */
    private int pendingBytes;

    /** Whether bytes were written that the container could not flush yet. Guarded by this. */
    private boolean unflushed;

    /** Whether the container holds bytes back until it calls onWritePossible. Guarded by this. */
    private boolean blocked;

    /** Whether the stream's first frames are out: a keepalive never goes before them. Guarded by this. */
    private boolean started;

    /** When the client stopped taking bytes ({@link System#nanoTime()}), {@code 0} while it keeps up. */
    private volatile long stalledSince;

    private SseConnection(AsyncContext async, ServletOutputStream out, Set<SseConnection> open,
            boolean nonBlocking) {
        this.async = async;
        this.out = out;
        this.open = open;
        this.nonBlocking = nonBlocking;
    }

    /**
     * Starts the SSE response: status 200, the SSE headers, flushed at once so that the client sees them.
     * @param open the connections open now: this one is in it until it has ended
     * @param writer for a connection written without blocking, runs the writes that the container's callbacks ask
     *        for, so that no container thread waits for this connection's lock; {@code null} for one written in
     *        blocking mode: a request's own stream, written by the request's thread while the request runs (a
     *        container dispatches onWritePossible only once that thread has left the servlet, and Spring AI runs
     *        tools on it)
     */
    static SseConnection open(HttpServletRequest request, HttpServletResponse response, Set<SseConnection> open,
            @Nullable Executor writer) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache, no-transform");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        response.flushBuffer();
        SseConnection connection = new SseConnection(async, response.getOutputStream(), open, writer != null);
        open.add(connection);
        async.addListener(new AsyncListener() {

            @Override
            public void onComplete(AsyncEvent event) {
                connection.gone();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                connection.gone();
            }

            @Override
            public void onError(AsyncEvent event) {
                connection.gone();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }

        });
        if (writer == null) {
            return connection;
        }
        connection.out.setWriteListener(new WriteListener() {

            @Override
            public void onWritePossible() {
                connection.onWriter(writer, connection::drain);
            }

            @Override
            public void onError(Throwable ex) {
                // At once, on the container's thread: later, the request could be the connection's next one.
                connection.abort();
            }

        });
        return connection;
    }

    /** What to do once when the client has gone or the response has ended. */
    void onGone(Runnable onGone) {
        this.onGone = onGone;
        if (!this.open.contains(this)) {
            onGone.run();
        }
    }

    /** What to do each time frames that had to wait have all gone to the client. */
    void onDrained(Runnable onDrained) {
        this.onDrained = onDrained;
    }

    boolean isOpen() {
        return !this.ended.get();
    }

    /** Whether frames wait for the client: a reader of the log sends no more until they have gone. */
    synchronized boolean hasPending() {
        return this.blocked || !this.pending.isEmpty();
    }

    /** Since when ({@link System#nanoTime()}) the client has taken no bytes, or {@code 0} while it keeps up. */
    long stalledSince() {
        return this.stalledSince;
    }

    /**
     * Writes frames without waiting for the client: at once when it takes bytes, else after the frames before them.
     * @throws IOException when the connection has ended, or ends now because too much waits for the client
     */
    synchronized void send(String frames) throws IOException {
        if (this.ended.get()) {
            throw new IOException("The SSE connection has ended");
        }
        byte[] bytes = frames.getBytes(StandardCharsets.UTF_8);
        this.started = true;
        try {
            if (this.blocked || !this.pending.isEmpty() || !tryWrite(bytes)) {
                queue(bytes);
            }
        }
        catch (IOException | RuntimeException ex) {
            abort();
            throw (ex instanceof IOException io) ? io : new IOException(ex);
        }
    }

    /**
     * Writes a keepalive comment, unless the stream's first frames (its retry) are not out yet or frames wait for
     * the client already.
     * @throws IOException when the client has gone (the connection is ended)
     */
    synchronized void keepalive() throws IOException {
        if (this.started && !this.blocked && this.pending.isEmpty()) {
            send(KEEPALIVE);
        }
    }

    /**
     * Ends the response once what waits for the client has gone to it (at once when nothing waits): a final
     * message is not lost to a client that is slow. A client that takes nothing more is ended by the write timeout.
     */
    void end() {
        synchronized (this) {
            if (!this.ended.get() && (this.blocked || !this.pending.isEmpty())) {
                this.closing = true;
                return;
            }
        }
        abort();
    }

    /** Ends the response now, with whatever waits for the client; it may resume from the last event id it saw. */
    void abort() {
        if (this.ended.compareAndSet(false, true)) {
            synchronized (this) {
                this.pending.clear();
                this.pendingBytes = 0;
                try {
                    this.async.complete();
                }
                catch (RuntimeException ex) {
                    // The container ended it already (the client went away).
                }
            }
            gone();
        }
    }

    /**
     * Writes {@code bytes} and flushes them if the client takes them now.
     * @return {@code false}, having written nothing, when the container still holds earlier bytes back
     */
    private boolean tryWrite(byte[] bytes) throws IOException {
        if (!this.nonBlocking) {
            this.out.write(bytes);
            this.out.flush();
            return true;
        }
        if (!this.out.isReady()) {
            block();
            return false;
        }
        this.out.write(bytes);
        if (this.out.isReady()) {
            this.out.flush();
            this.unflushed = false;
            if (!this.out.isReady()) {
                block();
            }
        }
        else {
            this.unflushed = true;
            block();
        }
        return true;
    }

    /** The container holds bytes back: it calls onWritePossible once the client takes more. */
    private void block() {
        this.blocked = true;
        if (this.stalledSince == 0) {
            this.stalledSince = System.nanoTime();
        }
    }

    private void queue(byte[] bytes) throws IOException {
        if (this.pendingBytes + (long) bytes.length > MAX_PENDING_BYTES) {
            abort();
            throw new IOException("The client has not taken the last " + this.pendingBytes + " bytes of its stream");
        }
        this.pending.add(bytes);
        this.pendingBytes += bytes.length;
    }

    /** The container can write again: what waited goes, in order, as far as the client takes it. */
    private void drain() {
        boolean drained = false;
        boolean closeNow = false;
        boolean failed = false;
        synchronized (this) {
            if (this.ended.get()) {
                return;
            }
            this.blocked = false;
            try {
                if (this.unflushed && this.out.isReady()) {
                    this.out.flush();
                    this.unflushed = false;
                }
                if (!this.out.isReady()) {
                    block();
                }
                while (!this.blocked && !this.pending.isEmpty()) {
                    byte[] bytes = this.pending.peek();
                    if (tryWrite(bytes)) {
                        this.pending.poll();
                        this.pendingBytes -= bytes.length;
                    }
                }
                if (!this.blocked) {
                    this.stalledSince = 0;
                    drained = true;
                    closeNow = this.closing;
                }
            }
            catch (IOException | RuntimeException ex) {
                failed = true;
            }
        }
        if (failed || closeNow) {
            abort();
        }
        else if (drained) {
            this.onDrained.run();
        }
    }

    private void onWriter(Executor writer, Runnable task) {
        try {
            writer.execute(task);
        }
        catch (RejectedExecutionException ex) {
            // The transport is closing: it ends every connection itself.
            gone();
        }
    }

    /** The response has ended (here or by the container): runs onGone once. */
    private void gone() {
        this.ended.set(true);
        if (this.open.remove(this)) {
            this.onGone.run();
        }
    }

}
