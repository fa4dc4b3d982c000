package io.mcpsession.mcp;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.Cursor;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.ResetReason;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.Subscription;

/**
 * A client connection that follows one stream of a session from the log: the GET stream, or a POST's response
 * stream resumed with {@code Last-Event-ID}, on whichever instance the client reached. Wake-ups only mark it dirty;
 * one pump at a time reads the stream's events after its cursor and writes them, so replay and live delivery are one
 * loop with no gap and no duplicate. A response stream ends after its final message; if its owner instance is gone
 * before writing one, {@link #checkOwner()} writes an error in its place.
 */
final class StreamFollower {

    private static final Logger logger = LoggerFactory.getLogger(StreamFollower.class);

    private final McpLog log;

    private final String sessionId;

    private final StreamKey key;

    private final SseConnection connection;

    private final Executor executor;

    private final OwnerLeases leases;

    private final McpMessages messages;

    /** For the GET stream: the seq of the control record that announced this connection; a later one supersedes it. */
    private final long announcedAt;

    private final Consumer<StreamFollower> onEnd;

    private final AtomicBoolean scheduled = new AtomicBoolean();

    private final AtomicBoolean ended = new AtomicBoolean();

    private volatile boolean dirty;

    private volatile boolean finished;

    private volatile @Nullable Subscription subscription;

    /** Touched only by the pump. */
    private Cursor cursor;

    StreamFollower(McpLog log, String sessionId, StreamKey key, Cursor cursor, SseConnection connection,
            Executor executor, OwnerLeases leases, McpMessages messages, long announcedAt, Consumer<StreamFollower> onEnd) {
        this.log = log;
        this.sessionId = sessionId;
        this.key = key;
        this.cursor = cursor;
        this.connection = connection;
        this.executor = executor;
        this.leases = leases;
        this.messages = messages;
        this.announcedAt = announcedAt;
        this.onEnd = onEnd;
        connection.onGone(this::end);
        // Frames that waited for a slow client have gone: read on.
        connection.onDrained(this::signal);
    }

    String sessionId() {
        return this.sessionId;
    }

    boolean isListening() {
        return this.key.isListening();
    }

    SseConnection connection() {
        return this.connection;
    }

    /** Subscribes, then reads: a wake-up that comes during the first read is not lost. */
    void start() {
        Subscription subscription = this.log.store().subscribe(this.sessionId, new SessionListener() {

            @Override
            public void appended(String id, long latest, List<EventRecord> events) {
                signal();
            }

            @Override
            public void ephemeral(EphemeralEvent event) {
            }

            @Override
            public void closed(String id, CloseReason reason) {
                end();
            }

        });
        this.subscription = subscription;
        if (this.ended.get()) {
            subscription.close();
            return;
        }
        signal();
    }

    void signal() {
        this.dirty = true;
        if (!this.ended.get() && this.scheduled.compareAndSet(false, true)) {
            this.executor.execute(this::pump);
        }
    }

    /**
     * For a response stream still waiting for its final message: when the instance that runs its request holds no
     * live lease any more, the request died with it, and the stream ends with an error instead of hanging.
     */
    void checkOwner() {
        if (this.key.isListening() || this.finished || this.ended.get()) {
            return;
        }
        try {
            if (!this.leases.isAlive(this.sessionId, this.key.ownerInstance())) {
                this.log.appendFinal(this.sessionId, this.key.tag(), this.messages.ownerGoneError(this.key));
                signal();
            }
        }
        catch (McpSessionException ex) {
            logger.debug("Could not check the owner of a stream of session {}: {}", this.sessionId, ex.getMessage());
        }
    }

    /** Ends the connection; the client may resume elsewhere from its last event id. */
    void end() {
        if (this.ended.compareAndSet(false, true)) {
            Subscription subscription = this.subscription;
            if (subscription != null) {
                subscription.close();
            }
            this.connection.end();
            this.onEnd.accept(this);
        }
    }

    private void pump() {
        try {
            // While frames wait for the client, read nothing more: onDrained wakes the pump when they have gone.
            while (!this.ended.get() && !waitsForClient()) {
                this.dirty = false;
                deliver();
                if (!this.dirty) {
                    break;
                }
            }
        }
        catch (IOException ex) {
            end();
        }
        catch (McpSessionException ex) {
            if (ex.code() != ErrorCode.SESSION_NOT_FOUND) {
                logger.debug("A stream of session {} failed; its client will resume: {}", this.sessionId,
                        ex.getMessage());
            }
            end();
        }
        catch (RuntimeException | Error ex) {
            logger.warn("A stream of session {} failed; its client will resume", this.sessionId, ex);
            end();
        }
        finally {
            this.scheduled.set(false);
        }
        if (this.dirty && !this.ended.get() && !this.connection.hasPending()) {
            signal();
        }
    }

    /** Whether frames wait for the client; the rest of the log is read once they have gone (onDrained). */
    private boolean waitsForClient() {
        if (this.connection.hasPending()) {
            this.dirty = true;
            return true;
        }
        return false;
    }

    private void deliver() throws IOException {
        EventPage page;
        do {
            page = this.log.read(this.sessionId, this.key.tag(), this.cursor);
            if (page.reset() && page.resetReason() == ResetReason.EPOCH) {
                // The log was recreated (a store flushed): this stream's history is gone.
                throw McpSessionException.sessionNotFound(this.sessionId);
            }
            StringBuilder frames = new StringBuilder();
            boolean superseded = false;
            for (EventRecord event : page.events()) {
                if (McpLog.CONTROL.equals(event.type())) {
                    superseded = this.key.isListening() && event.seq() > this.announcedAt;
                    if (superseded) {
                        break;
                    }
                    continue;
                }
                frames.append(McpLog.frame(this.key, event));
                if (McpLog.isFinal(event)) {
                    this.finished = true;
                    break;
                }
            }
            if (!frames.isEmpty()) {
                this.connection.send(frames.toString());
            }
            this.cursor = Cursor.of(page.epoch(), page.nextCursor());
            if (superseded || this.finished) {
                end();
                return;
            }
        }
        while (page.events().size() == McpLog.PAGE && !waitsForClient());
    }

}
