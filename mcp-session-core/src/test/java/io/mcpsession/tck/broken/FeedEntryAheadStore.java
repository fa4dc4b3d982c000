package io.mcpsession.tck.broken;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.store.SessionStore;
import io.mcpsession.tck.ForwardingSessionStore;

/**
 * Broken on purpose: the first page that holds feed entry n (every third n) and an entry after it leaves n out,
 * as a sequencer would that made n + 1 visible before n.
 */
final class FeedEntryAheadStore extends ForwardingSessionStore {

    private final Set<Long> heldBack = ConcurrentHashMap.newKeySet();

    FeedEntryAheadStore(SessionStore delegate) {
        super(delegate);
    }

    @Override
    public FeedPage readFeed(FeedQuery query) {
        FeedPage page = this.delegate.readFeed(query);
        List<FeedEntry> entries = new ArrayList<>(page.entries());
        for (int i = 0; i < entries.size() - 1; i++) {
            long seq = entries.get(i).seq();
            if (seq % 3 == 0 && this.heldBack.add(seq)) {
                entries.remove(i);
                break;
            }
        }
        return new FeedPage(page.epoch(), entries, page.latest(), page.earliestRetained(), page.nextCursor(),
                page.reset(), page.resetReason());
    }

}
