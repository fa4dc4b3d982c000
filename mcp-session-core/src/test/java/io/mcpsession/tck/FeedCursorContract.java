package io.mcpsession.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.ResetReason;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The feed's cursors, gap contract and retention, its switch, and its order under concurrent appends (SPEC §4).
 */
public abstract class FeedCursorContract extends ContractSupport {

    protected FeedCursorContract(StoreFactory factory) {
        super(factory);
    }

    /** A session with four events: five feed entries, once they are all visible. */
    private Session sessionWithFiveEntries(SessionStore store) {
        Session session = newSession(store);
        appendMany(store, session.id(), 4);
        eventually().untilAsserted(() -> assertThat(store.readFeed(FeedQuery.after(0)).latest()).isEqualTo(5));
        return session;
    }

    private static List<Long> seqsOf(FeedPage page) {
        return page.entries().stream().map(FeedEntry::seq).toList();
    }

    @Test
    void feedSeqsStartAtOneAndPageWithNextCursor() {
        SessionStore store = newStore();
        sessionWithFiveEntries(store);

        FeedPage first = store.readFeed(FeedQuery.after(0).withLimit(2));
        FeedPage rest = store.readFeed(FeedQuery.after(first.nextCursor()));

        assertThat(seqsOf(first)).containsExactly(1L, 2L);
        assertThat(first.nextCursor()).isEqualTo(2);
        assertThat(seqsOf(rest)).containsExactly(3L, 4L, 5L);
        assertThat(rest.nextCursor()).isEqualTo(5);
        assertThat(rest.latest()).isEqualTo(5);
        assertThat(rest.earliestRetained()).isEqualTo(1);
        assertThat(rest.reset()).isFalse();
    }

    @Test
    void filterMatchingNothingMovesFeedCursorToLatest() {
        SessionStore store = newStore();
        sessionWithFiveEntries(store);

        FeedPage page = store.readFeed(FeedQuery.after(1).withTypes(Set.of(FeedEntryType.SESSION_DELETED)));

        assertThat(page.entries()).isEmpty();
        assertThat(page.nextCursor()).isEqualTo(5);
        FeedPage filtered = store.readFeed(FeedQuery.after(0).withTypes(Set.of(FeedEntryType.EVENT_APPENDED)).withLimit(2));
        assertThat(seqsOf(filtered)).containsExactly(2L, 3L);
        assertThat(filtered.nextCursor()).isEqualTo(3);
    }

    @Test
    void feedCursorAboveLatestReturnsNothingWithoutReset() {
        SessionStore store = newStore();
        sessionWithFiveEntries(store);

        FeedPage page = store.readFeed(FeedQuery.after(50));

        assertThat(page.entries()).isEmpty();
        assertThat(page.reset()).isFalse();
        assertThat(page.nextCursor()).isEqualTo(50);
    }

    @Test
    void foreignFeedEpochIsReset() {
        SessionStore store = newStore();
        sessionWithFiveEntries(store);

        FeedPage page = store.readFeed(FeedQuery.after(3).withEpoch("other"));
        FeedPage current = store.readFeed(FeedQuery.after(3).withEpoch(page.epoch()));

        assertThat(page.reset()).isTrue();
        assertThat(page.resetReason()).isEqualTo(ResetReason.EPOCH);
        assertThat(seqsOf(page)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(current.reset()).isFalse();
        assertThat(seqsOf(current)).containsExactly(4L, 5L);
    }

    @Test
    void feedCursorBelowRetainedWindowIsReset() {
        SessionStore store = newStore(StoreSettings.defaults().withFeed(true, 3, Duration.ofHours(24)));
        Session session = newSession(store);
        appendMany(store, session.id(), 5);

        eventually().untilAsserted(() -> {
            store.sweep();
            FeedPage position = store.readFeed(FeedQuery.after(0));
            assertThat(position.latest()).isEqualTo(6);
            assertThat(position.earliestRetained()).isEqualTo(4);
        });
        FeedPage page = store.readFeed(FeedQuery.after(1));
        FeedPage current = store.readFeed(FeedQuery.after(3));

        assertThat(page.reset()).isTrue();
        assertThat(page.resetReason()).isEqualTo(ResetReason.RETENTION);
        assertThat(seqsOf(page)).containsExactly(4L, 5L, 6L);
        assertThat(current.reset()).isFalse();
        assertThat(seqsOf(current)).containsExactly(4L, 5L, 6L);
    }

    @Test
    void feedTtlEvictsOldEntriesOnSweep() {
        StoreSettings settings = StoreSettings.defaults().withTimeout(Duration.ofHours(1))
            .withFeed(true, 1000, Duration.ofMinutes(10));
        SessionStore store = newStore(settings);
        Session session = newSession(store);
        append(store, session.id(), "1");
        eventually().untilAsserted(() -> assertThat(store.readFeed(FeedQuery.after(0)).latest()).isEqualTo(2));
        this.clock.advance(Duration.ofMinutes(11));
        append(store, session.id(), "2");
        eventually().untilAsserted(() -> assertThat(store.readFeed(FeedQuery.after(0)).latest()).isEqualTo(3));

        assertThat(store.sweep().evictedFeedEntries()).isEqualTo(2);

        FeedPage page = store.readFeed(FeedQuery.after(0));
        assertThat(page.reset()).isTrue();
        assertThat(page.resetReason()).isEqualTo(ResetReason.RETENTION);
        assertThat(seqsOf(page)).containsExactly(3L);
        assertThat(page.earliestRetained()).isEqualTo(3);
    }

    @Test
    void disabledFeedWritesNothing() {
        SessionStore store = newStore(StoreSettings.defaults().withFeed(false, 1000, Duration.ofHours(24)));
        Session session = newSession(store);
        append(store, session.id(), "1");
        store.update(session.id(), new SessionPatch("{\"initialized\":true}"));
        store.delete(session.id());

        await().during(Duration.ofMillis(1500)).atMost(WAIT).untilAsserted(() -> {
            FeedPage page = store.readFeed(FeedQuery.after(0));
            assertThat(page.entries()).isEmpty();
            assertThat(page.latest()).isZero();
        });
    }

    @Test
    void feedIsGapFreeAndOrderedUnderConcurrentAppends() {
        SessionStore store = newStore();
        int threads = 8;
        int sessionCount = 20;
        int rounds = 10;
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < sessionCount; i++) {
            sessions.add(newSession(store).id());
        }

        runConcurrently(threads, (thread) -> {
            for (int round = 0; round < rounds; round++) {
                for (String id : sessions) {
                    store.append(id, NewEvent.of("message", "{\"t\":" + thread + ",\"r\":" + round + "}"));
                }
            }
            return null;
        });

        int events = threads * sessionCount * rounds;
        int total = sessionCount + events;
        eventually().untilAsserted(() -> assertThat(store.readFeed(FeedQuery.after(0)).latest()).isEqualTo(total));
        List<FeedEntry> feed = readFeed(store, Set.of(), null);
        assertThat(feed).extracting(FeedEntry::seq).containsExactlyElementsOf(range(1, total));
        Map<String, List<Long>> seqsBySession = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (FeedEntry entry : feed) {
            if (entry.type() == FeedEntryType.EVENT_APPENDED) {
                assertThat(seen.add(entry.sessionId() + "#" + entry.event().seq())).as("once: %s", entry).isTrue();
                seqsBySession.computeIfAbsent(entry.sessionId(), (id) -> new ArrayList<>()).add(entry.event().seq());
            }
        }
        assertThat(seen).hasSize(events);
        assertThat(seqsBySession).containsOnlyKeys(sessions);
        seqsBySession.values().forEach((seqs) -> assertThat(seqs)
            .containsExactlyElementsOf(range(1, (long) threads * rounds)));
    }

}
