package io.mcpsession.web;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import io.mcpsession.core.EventRecord;
import io.mcpsession.core.JsonText;
import io.mcpsession.sse.SseFrames;

/**
 * The SSE frames of recent events, encoded once however many streams of a session send them. A session's seq
 * and epoch name one event for good, so a cached frame is never stale; the cache keeps the most recent frames
 * only, as many as fit its byte bound (a frame larger than the bound is encoded for each stream and never kept).
 */
final class EventFrames {

    private record Key(String sessionId, String epoch, long seq) {
    }

    private final long maxBytes;

    /** The characters of the frames held, about their bytes for the ASCII that SSE frames mostly are. */
    private long bytes;

    private final Map<Key, String> recent = new LinkedHashMap<>();

    /**
     * @param maxBytes the most bytes of frames the cache holds
     */
    EventFrames(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The frame of {@code event}: {@code id:} its cursor, {@code event:} its type, {@code data:} its JSON. */
    String frame(EventRecord event) {
        Key key = new Key(event.sessionId(), event.epoch(), event.seq());
        synchronized (this.recent) {
            String frame = this.recent.get(key);
            if (frame != null) {
                return frame;
            }
        }
        String frame = SseFrames.event(event.cursor(), event.type(), JsonText.toJson(event));
        if (frame.length() <= this.maxBytes) {
            synchronized (this.recent) {
                if (this.recent.putIfAbsent(key, frame) == null) {
                    this.bytes += frame.length();
                    evictBeyondBound();
                }
            }
        }
        return frame;
    }

    /** The bytes of the frames held. */
    long bytes() {
        synchronized (this.recent) {
            return this.bytes;
        }
    }

    private void evictBeyondBound() {
        Iterator<String> eldest = this.recent.values().iterator();
        while (this.bytes > this.maxBytes && eldest.hasNext()) {
            this.bytes -= eldest.next().length();
            eldest.remove();
        }
    }

}
