package io.mcpsession.mcp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.mcpsession.sse.SseFrames;

/**
 * One HTTP response held open as a Server-Sent Events stream. Writes are serialized and flushed at once; the first
 * failed write, or the container telling that the client left, ends it and runs {@code onGone} once.
 */
final class SseConnection {

    private final AsyncContext async;

    private final ServletOutputStream out;

    private static final String KEEPALIVE = SseFrames.comment("keepalive");

    private final AtomicBoolean ended = new AtomicBoolean();

    /** Whether the stream's first frames are out: a keepalive never goes before them. */
    private boolean started;

    private volatile Runnable onGone = () -> {
    };

    private SseConnection(AsyncContext async, ServletOutputStream out) {
        this.async = async;
        this.out = out;
    }

    /** Starts the SSE response: status 200, the SSE headers, flushed at once so that the client sees them. */
    static SseConnection open(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-cache, no-transform");
        response.setHeader("X-Accel-Buffering", "no");
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        SseConnection connection = new SseConnection(async, response.getOutputStream());
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
        response.flushBuffer();
        return connection;
    }

    /** What to do once when the client has gone or the response has ended. */
    void onGone(Runnable onGone) {
        this.onGone = onGone;
        if (this.ended.get()) {
            onGone.run();
        }
    }

    boolean isOpen() {
        return !this.ended.get();
    }

    /**
     * Writes frames and flushes them.
     * @throws IOException when the client has gone (the connection is ended)
     */
    synchronized void send(String frames) throws IOException {
        if (this.ended.get()) {
            throw new IOException("The SSE connection has ended");
        }
        try {
            this.out.write(frames.getBytes(StandardCharsets.UTF_8));
            this.out.flush();
            this.started = true;
        }
        catch (IOException | RuntimeException ex) {
            end();
            throw (ex instanceof IOException io) ? io : new IOException(ex);
        }
    }

    /**
     * Writes a keepalive comment, unless the stream's first frames (its retry) are not out yet.
     * @throws IOException when the client has gone (the connection is ended)
     */
    synchronized void keepalive() throws IOException {
        if (this.started) {
            send(KEEPALIVE);
        }
    }

    /** Ends the response; the client may resume from the last event id it saw. */
    void end() {
        if (this.ended.compareAndSet(false, true)) {
            synchronized (this) {
                try {
                    this.async.complete();
                }
                catch (RuntimeException ex) {
                    // The container ended it already (the client went away).
                }
            }
            this.onGone.run();
        }
    }

    private void gone() {
        if (this.ended.compareAndSet(false, true)) {
            this.onGone.run();
        }
    }

}
