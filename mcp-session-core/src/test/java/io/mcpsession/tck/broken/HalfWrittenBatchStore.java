package io.mcpsession.tck.broken;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.NewEvent;
import io.mcpsession.store.SessionStore;
import io.mcpsession.tck.ForwardingSessionStore;

/**
 * Broken on purpose: writes a batch as two appends, so that readers may see its first half alone. Before writing
 * the second half it waits, briefly, for a read to show the first, so that a reader that follows the log meets
 * the half-written batch in every run.
 */
final class HalfWrittenBatchStore extends ForwardingSessionStore {

    /** How long the second half waits for a read of the first; short, as the reader may have stopped. */
    private static final long SHOWN_WAIT_MILLIS = 200;

    /** By session and the last seq of a first half: whether a read has shown it. */
    private final Map<String, CountDownLatch> firstHalves = new ConcurrentHashMap<>();

    HalfWrittenBatchStore(SessionStore delegate) {
        super(delegate);
    }

    @Override
    public List<AppendResult> appendAll(String sessionId, List<NewEvent> events) {
        if (events.size() < 2) {
            return this.delegate.appendAll(sessionId, events);
        }
        int half = events.size() / 2;
        List<AppendResult> results = new ArrayList<>(this.delegate.appendAll(sessionId, events.subList(0, half)));
        long lastSeq = results.stream().mapToLong((result) -> result.event().seq()).max().orElseThrow();
        String key = sessionId + "#" + lastSeq;
        CountDownLatch shown = new CountDownLatch(1);
        this.firstHalves.put(key, shown);
        try {
            shown.await(SHOWN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            this.firstHalves.remove(key);
        }
        results.addAll(this.delegate.appendAll(sessionId, events.subList(half, events.size())));
        return results;
    }

    @Override
    public EventPage read(String sessionId, EventQuery query) {
        EventPage page = this.delegate.read(sessionId, query);
        for (EventRecord event : page.events()) {
            CountDownLatch shown = this.firstHalves.get(sessionId + "#" + event.seq());
            if (shown != null) {
                shown.countDown();
            }
        }
        return page;
    }

}
