package io.mcpsession.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.NewEvent;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.Subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The feed followed live (SPEC §4): a follower woken by {@code subscribeFeed} reads page after page while writers
 * append across several sessions; every page continues its cursor without a gap, and every entry shows within the
 * spec's bound of the append that wrote it returning.
 */
public abstract class FeedLiveContract extends ContractSupport {

    /**
     * SPEC §4: "an entry becomes visible to readers within 1 s of the commit it records". The test holds stores to
     * it exactly, with no allowance, and only on proof: an entry counts as late when a read that started more than
     * this long after its append returned did not show it although nothing limited that read's page. A follower
     * that is slow to read (a busy machine) only makes such proof rarer; it can never make a timely entry look late.
     */
    private static final Duration VISIBILITY = Duration.ofSeconds(1);

    /**
     * The follower reads at least this often while it waits, wake-up or not: a store may announce an entry only when
     * it makes it visible, so without reads of its own the follower could not catch an entry that shows late.
     */
    private static final Duration RECHECK = VISIBILITY.dividedBy(5);

    private static final int WRITERS = 4;

    private static final int SESSIONS = 8;

    private static final int APPENDS_PER_WRITER = 60;

    private static final int PAGE_LIMIT = 50;

    protected FeedLiveContract(StoreFactory factory) {
        super(factory);
    }

    @Test
    void followerSeesEveryEntryInOrderWithoutGapsAndInTime() {
        SessionStore store = newStore();
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < SESSIONS; i++) {
            sessions.add(newSession(store).id());
        }
        int total = SESSIONS + WRITERS * APPENDS_PER_WRITER;
        Map<String, Long> returnedAt = new ConcurrentHashMap<>();
        Follower follower = new Follower(store, total);

        List<List<EventRecord>> byThread;
        try (Subscription subscription = store.subscribeFeed((latest) -> follower.moved.release())) {
            byThread = runConcurrently(WRITERS + 1, (thread) -> {
                if (thread == 0) {
                    follower.follow();
                    return List.of();
                }
                List<EventRecord> appended = new ArrayList<>();
                for (int i = 0; i < APPENDS_PER_WRITER; i++) {
                    String sessionId = sessions.get((thread + i) % SESSIONS);
                    EventRecord event = store.append(sessionId,
                            NewEvent.of("message", "{\"w\":" + thread + ",\"i\":" + i + "}")).event();
                    returnedAt.put(key(event), System.nanoTime());
                    appended.add(event);
                }
                return appended;
            });
        }

        List<FeedEntry> seen = follower.seen;
        assertThat(seen).extracting(FeedEntry::seq).containsExactlyElementsOf(range(1, total));
        Map<String, EventRecord> appended = new HashMap<>();
        byThread.forEach((events) -> events.forEach((event) -> appended.put(key(event), event)));
        Map<String, EventRecord> inFeed = new HashMap<>();
        seen.stream().filter((entry) -> entry.type() == FeedEntryType.EVENT_APPENDED)
            .forEach((entry) -> assertThat(inFeed.put(key(entry.event()), entry.event())).isNull());
        assertThat(inFeed).as("the appended events in the feed").isEqualTo(appended);
        List<String> late = new ArrayList<>();
        follower.unseenAt.forEach((key, readStart) -> {
            long lateBy = readStart - returnedAt.get(key);
            if (lateBy > VISIBILITY.toNanos()) {
                late.add(key + " still unseen " + Duration.ofNanos(lateBy) + " after its append returned");
            }
        });
        assertThat(late).as("entries not visible within %s", VISIBILITY).isEmpty();
    }

    private static String key(EventRecord event) {
        return event.sessionId() + "#" + event.seq();
    }

    /**
     * Reads the feed whenever it moves (and every {@link #RECHECK} while it waits) and checks every page. For each event it notes when the last read that
     * did not show it began (a read whose page was not full shows every entry visible after its cursor).
     */
    private static final class Follower {

        private final SessionStore store;

        private final int total;

        private final Semaphore moved = new Semaphore(0);

        private final List<FeedEntry> seen = new ArrayList<>();

        /** By event: when the last complete read that did not show it started (nanoTime). */
        private final Map<String, Long> unseenAt = new HashMap<>();

        private long lastCompleteReadStart;

        private int completeReads;

        Follower(SessionStore store, int total) {
            this.store = store;
            this.total = total;
        }

        void follow() {
            long cursor = 0;
            long movedAt = System.nanoTime();
            while (cursor < this.total) {
                long readStart = System.nanoTime();
                FeedPage page = this.store.readFeed(FeedQuery.after(cursor).withLimit(PAGE_LIMIT));
                assertThat(page.reset()).as("reset after %s", cursor).isFalse();
                for (FeedEntry entry : page.entries()) {
                    assertThat(entry.seq()).as("feed seq after %s (a gap: an entry shown before the one before it)",
                            cursor).isEqualTo(cursor + 1);
                    cursor = entry.seq();
                    this.seen.add(entry);
                    if (entry.type() == FeedEntryType.EVENT_APPENDED && this.completeReads > 0) {
                        this.unseenAt.put(key(entry.event()), this.lastCompleteReadStart);
                    }
                }
                assertThat(page.nextCursor()).as("nextCursor after %s", cursor).isEqualTo(cursor);
                if (!page.entries().isEmpty()) {
                    movedAt = readStart;
                }
                else if (readStart - movedAt > WAIT.toNanos()) {
                    fail("The feed did not move within " + WAIT + " at " + cursor + " of " + this.total);
                }
                if (page.entries().size() < PAGE_LIMIT) {
                    this.lastCompleteReadStart = readStart;
                    this.completeReads++;
                    if (cursor < this.total) {
                        awaitMove(this.moved);
                    }
                }
            }
        }

    }

    /** Waits for a wake-up, or {@link #RECHECK} at most. */
    private static void awaitMove(Semaphore moved) {
        try {
            moved.tryAcquire(RECHECK.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            fail("Interrupted");
        }
    }

}
