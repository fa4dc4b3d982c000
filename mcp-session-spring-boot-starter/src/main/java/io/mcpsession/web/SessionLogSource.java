package io.mcpsession.web;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.Cursor;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.JsonText;
import io.mcpsession.core.Limits;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.ResetReason;
import io.mcpsession.sse.SseFrames;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.Subscription;

/**
 * A session's log as an SSE stream: each event with its cursor as {@code id:}, and a {@code reset} event (with
 * an {@code id:}) where the gap contract says the reader cannot continue from its cursor.
 */
final class SessionLogSource implements StreamSource {

    private final SessionStore store;

    private final String sessionId;

    /** The epoch of the log this stream follows, once it has read it. */
    private @Nullable String epoch;

    private final EventFrames frames;

    private final SharedReads reads;

    /** When this stream was last woken by an append, or subscribed ({@link System#nanoTime()}). */
    private volatile long wokenAt;

    SessionLogSource(SessionStore store, String sessionId, EventFrames frames, SharedReads reads) {
        this.store = store;
        this.sessionId = sessionId;
        this.frames = frames;
        this.reads = reads;
    }

    @Override
    public String sessionId() {
        return this.sessionId;
    }

    @Override
    public Subscription subscribe(SseStream stream) {
        Subscription subscription = this.store.subscribe(this.sessionId, new SessionListener() {

            @Override
            public void appended(String sessionId, long latest, List<EventRecord> events) {
                SessionLogSource.this.wokenAt = System.nanoTime();
                stream.signal();
            }

            @Override
            public void ephemeral(EphemeralEvent event) {
                stream.ephemeral(event);
            }

            @Override
            public void closed(String sessionId, CloseReason reason) {
                stream.closed(reason);
            }

        });
        // Reads that began before now may miss appends committed before the subscription: never shared here.
        this.wokenAt = System.nanoTime();
        return subscription;
    }

    @Override
    public Chunk next(Cursor cursor) {
        EventPage page = this.reads.read(this.sessionId, cursor, Limits.DEFAULT_READ_LIMIT, this.wokenAt,
                () -> this.store.read(this.sessionId, EventQuery.after(cursor).withLimit(Limits.DEFAULT_READ_LIMIT)));
        if (this.epoch != null && !this.epoch.equals(page.epoch())) {
            // The session was removed and another created with its id: this stream's log is gone.
            throw McpSessionException.sessionNotFound(this.sessionId);
        }
        this.epoch = page.epoch();
        List<String> frames = new ArrayList<>(page.events().size() + 1);
        if (page.reset()) {
            frames.add(resetFrame(page.resetReason(), page.latest(), page.earliestRetained(), page.epoch()));
        }
        for (EventRecord event : page.events()) {
            frames.add(this.frames.frame(event));
        }
        return new Chunk(frames, Cursor.of(page.epoch(), page.nextCursor()),
                !page.events().isEmpty() && page.nextCursor() < page.latest());
    }

    /** The {@code reset} event: its id is the cursor just below the retained window, in the current epoch. */
    static String resetFrame(ResetReason reason, long latest, long earliestRetained, String epoch) {
        String data = JsonText.toJson(new Reset(reason.value(), earliestRetained, latest, epoch));
        return SseFrames.event(Cursor.of(epoch, earliestRetained - 1).token(), "reset", data);
    }

    /** The data of a {@code reset} event. */
    @JsonPropertyOrder({ "reason", "earliestRetained", "latest", "epoch" })
    record Reset(String reason, long earliestRetained, long latest, String epoch) {
    }

}
