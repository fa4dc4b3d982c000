package io.mcpsession.tck;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.store.SessionStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a feed must hold after a crash, a restart or a race: read whole, its seqs are contiguous, and every
 * acknowledged append has exactly one {@code event.appended} entry, with the event's seq and id.
 */
public final class FeedChecks {

    private FeedChecks() {
    }

    /** Every retained entry of the feed, in order; asserts that the seqs read are contiguous and end at latest. */
    public static List<FeedEntry> readWholeFeed(SessionStore store) {
        List<FeedEntry> entries = new ArrayList<>();
        long after = 0;
        while (true) {
            FeedPage page = store.readFeed(FeedQuery.after(after).withLimit(1000));
            entries.addAll(page.entries());
            if (page.nextCursor() >= page.latest()) {
                long first = entries.isEmpty() ? page.latest() + 1 : entries.get(0).seq();
                assertThat(entries).extracting(FeedEntry::seq)
                    .as("feed seqs contiguous up to latest")
                    .containsExactlyElementsOf(LongStream.rangeClosed(first, page.latest()).boxed().toList());
                return entries;
            }
            after = page.nextCursor();
        }
    }

    /** The {@code event.appended} entries by session and seq, each present once. */
    public static Map<String, Map<Long, String>> appendedEventIds(List<FeedEntry> entries) {
        Map<String, Map<Long, String>> ids = new HashMap<>();
        for (FeedEntry entry : entries) {
            if (entry.type() == FeedEntryType.EVENT_APPENDED) {
                EventRecord event = entry.event();
                assertThat(event).as("event of feed entry %d", entry.seq()).isNotNull();
                String earlier = ids.computeIfAbsent(entry.sessionId(), (id) -> new HashMap<>())
                    .put(event.seq(), event.id());
                assertThat(earlier).as("feed entries of %s seq %d", entry.sessionId(), event.seq()).isNull();
            }
        }
        return ids;
    }

    /**
     * Whether the feed holds an entry for each acknowledged append (for an await: entries may be numbered late).
     * @param acknowledged event ids by seq by session id
     */
    public static boolean holdsEvery(SessionStore store, Map<String, Map<Long, String>> acknowledged) {
        Map<String, Map<Long, String>> ids = appendedEventIds(readWholeFeed(store));
        return acknowledged.entrySet()
            .stream()
            .allMatch((session) -> ids.getOrDefault(session.getKey(), Map.of())
                .entrySet()
                .containsAll(session.getValue().entrySet()));
    }

    /** Acknowledged appends as {@link #holdsEvery} takes them. */
    public static Map<String, Map<Long, String>> bySession(Collection<EventRecord> acknowledged) {
        Map<String, Map<Long, String>> ids = new HashMap<>();
        acknowledged.forEach((event) -> ids.computeIfAbsent(event.sessionId(), (id) -> new HashMap<>())
            .put(event.seq(), event.id()));
        return ids;
    }

}
