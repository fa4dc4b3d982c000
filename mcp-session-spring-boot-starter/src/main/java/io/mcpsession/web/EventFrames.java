package io.mcpsession.web;

import java.util.LinkedHashMap;
import java.util.Map;

import io.mcpsession.core.EventRecord;
import io.mcpsession.core.JsonText;
import io.mcpsession.sse.SseFrames;

/**
 * The SSE frames of recent events, encoded once however many streams of a session send them. A session's seq
 * and epoch name one event for good, so a cached frame is never stale; the cache keeps the most recent frames
 * only.
 */
final class EventFrames {

    private static final int CAPACITY = 4096;

    private record Key(String sessionId, String epoch, long seq) {
    }

    private final Map<Key, String> recent = new LinkedHashMap<>(CAPACITY * 2) {

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, String> eldest) {
            return size() > CAPACITY;
        }

    };

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
        synchronized (this.recent) {
            this.recent.putIfAbsent(key, frame);
        }
        return frame;
    }

}
