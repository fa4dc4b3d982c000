package io.mcpsession.benchmarks.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The baseline of the in-memory store: the least an in-process engine must do for the same work. A map of
 * sessions, and per session a lock around a bounded FIFO of events plus an id index for duplicates. No input
 * checks, no feed, no listeners, no expiry.
 */
public final class RawMemoryEngine implements AppendTarget {

    /** One stored event: the fields an append must record. */
    record RawEvent(long seq, String id, String type, String data, long timestamp) {
    }

    private static final class RawLog {

        final ArrayDeque<RawEvent> events = new ArrayDeque<>();

        final Map<String, RawEvent> byId = new HashMap<>();

        long latest;

    }

    private final ConcurrentHashMap<String, RawLog> logs = new ConcurrentHashMap<>();

    private final int maxPerSession;

    /** @param maxPerSession retained events per session, as the store's {@code events.max-per-session} */
    public RawMemoryEngine(int maxPerSession) {
        this.maxPerSession = maxPerSession;
    }

    @Override
    public void createSession(String sessionId) {
        this.logs.putIfAbsent(sessionId, new RawLog());
    }

    @Override
    public long append(String sessionId, String eventId, String type, String data) {
        RawLog log = this.logs.get(sessionId);
        if (log == null) {
            throw new IllegalArgumentException("No session " + sessionId);
        }
        synchronized (log) {
            RawEvent original = log.byId.get(eventId);
            if (original != null) {
                return original.seq();
            }
            RawEvent event = new RawEvent(++log.latest, eventId, type, data, System.currentTimeMillis());
            log.events.addLast(event);
            log.byId.put(eventId, event);
            if (log.events.size() > this.maxPerSession) {
                RawEvent oldest = log.events.removeFirst();
                log.byId.remove(oldest.id(), oldest);
            }
            return event.seq();
        }
    }

    @Override
    public long readAll(String sessionId) {
        RawLog log = this.logs.get(sessionId);
        List<RawEvent> copy;
        synchronized (log) {
            copy = new ArrayList<>(log.events);
        }
        return copy.size();
    }

    @Override
    public void close() {
        this.logs.clear();
    }

}
