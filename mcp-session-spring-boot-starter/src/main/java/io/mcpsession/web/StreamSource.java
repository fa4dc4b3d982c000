package io.mcpsession.web;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.Cursor;
import io.mcpsession.store.Subscription;

/**
 * What an SSE stream reads: a session's log or the global feed.
 */
interface StreamSource {

    /** The session whose activity the stream keeps alive, or {@code null} for the feed. */
    @Nullable String sessionId();

    /** Registers the stream for wake-ups; called before the first read. */
    Subscription subscribe(SseStream stream);

    /** Reads the next page after {@code cursor}. */
    Chunk next(Cursor cursor);

    /**
     * One page of frames.
     *
     * @param frames the encoded SSE frames, in order
     * @param cursor the cursor after these frames
     * @param more whether more is already waiting to be read
     */
    record Chunk(List<String> frames, Cursor cursor, boolean more) {
    }

}
