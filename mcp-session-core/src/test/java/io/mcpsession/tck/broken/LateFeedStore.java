package io.mcpsession.tck.broken;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.store.SessionStore;
import io.mcpsession.tck.ForwardingSessionStore;

/**
 * Broken on purpose: shows each feed entry only {@link #DELAY} after a read first found it, in order and without
 * gaps, as a sequencer would that numbers entries too late for the spec's 1 s.
 */
final class LateFeedStore extends ForwardingSessionStore {

    private static final Duration DELAY = Duration.ofMillis(1500);

    private static final int LOOK_AHEAD = 1000;

    /** By feed seq: when a read first found the entry (nanoTime). */
    private final Map<Long, Long> foundAt = new ConcurrentHashMap<>();

    LateFeedStore(SessionStore delegate) {
        super(delegate);
    }

    @Override
    public FeedPage readFeed(FeedQuery query) {
        // Reads ahead of the page so that every entry's delay starts when a read first could have shown it.
        FeedPage ahead = this.delegate.readFeed(query.withLimit(LOOK_AHEAD));
        long now = System.nanoTime();
        ahead.entries().forEach((entry) -> this.foundAt.putIfAbsent(entry.seq(), now));
        List<FeedEntry> shown = new ArrayList<>();
        long latest = ahead.reset() ? ahead.earliestRetained() - 1 : query.after();
        for (FeedEntry entry : ahead.entries()) {
            if (now - this.foundAt.get(entry.seq()) < DELAY.toNanos()) {
                break;
            }
            latest = entry.seq();
            if (shown.size() < query.limit()) {
                shown.add(entry);
            }
        }
        long nextCursor = (shown.size() == query.limit()) ? shown.get(shown.size() - 1).seq() : latest;
        return new FeedPage(ahead.epoch(), shown, latest, ahead.earliestRetained(), nextCursor, ahead.reset(),
                ahead.resetReason());
    }

}
