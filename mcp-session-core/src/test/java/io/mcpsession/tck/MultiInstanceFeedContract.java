package io.mcpsession.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.Subscription;

import static io.mcpsession.tck.ContractSupport.WAIT;
import static io.mcpsession.tck.ContractSupport.range;
import static io.mcpsession.tck.ContractSupport.runConcurrently;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The global feed with writers on several instances: gap-free and in commit order for a reader that follows it
 * while they write (SPEC §4: "gap-free in commit order across all instances").
 */
public abstract class MultiInstanceFeedContract extends MultiInstanceSupport {

    protected MultiInstanceFeedContract(SharedStoreFactory factory) {
        super(factory);
    }

    @Test
    void followersOnEachInstanceReadEveryEntryOnceWithoutGapsWhileBothWrite() {
        List<SessionStore> stores = instances(2);
        int writers = 4;
        int appendsPerWriter = 40;
        // Per writer: session.created, its appends (one by one, then a batch of four), session.updated.
        int entriesPerWriter = 1 + appendsPerWriter + 1;
        int total = writers * entriesPerWriter;
        List<Semaphore> moved = List.of(new Semaphore(0), new Semaphore(0));
        List<Subscription> subscriptions = List.of(stores.get(0).subscribeFeed((latest) -> moved.get(0).release()),
                stores.get(1).subscribeFeed((latest) -> moved.get(1).release()));

        try {
            List<Followed> results = runConcurrently(writers + 2, (thread) -> {
                if (thread < 2) {
                    return new Followed(follow(stores.get(thread), moved.get(thread), total), List.of());
                }
                SessionStore store = stores.get(thread % 2);
                String sessionId = store.create(NewSession.anonymous()).id();
                List<EventRecord> appended = new ArrayList<>();
                for (int i = 0; i < appendsPerWriter - 4; i++) {
                    appended.add(store.append(sessionId, NewEvent.of("message", "{\"i\":" + i + "}")).event());
                }
                store.appendAll(sessionId, List.of(NewEvent.of("message", "1"), NewEvent.of("message", "2"),
                        NewEvent.of("message", "3"), NewEvent.of("message", "4")))
                    .forEach((result) -> appended.add(result.event()));
                store.update(sessionId, new SessionPatch("{\"initialized\":true}"));
                return new Followed(List.of(), appended);
            });

            List<EventRecord> acknowledged = results.stream().flatMap((result) -> result.appended.stream()).toList();
            assertThat(acknowledged).hasSize(writers * appendsPerWriter);
            for (int follower = 0; follower < 2; follower++) {
                List<FeedEntry> entries = results.get(follower).entries;
                assertThat(entries).extracting(FeedEntry::seq).containsExactlyElementsOf(range(1, total));
                List<EventRecord> fed = entries.stream()
                    .filter((entry) -> entry.type() == FeedEntryType.EVENT_APPENDED)
                    .map(FeedEntry::event)
                    .toList();
                assertThat(fed).as("every acknowledged append, once").containsExactlyInAnyOrderElementsOf(acknowledged);
                assertThat(fed.stream().collect(Collectors.groupingBy(EventRecord::sessionId)))
                    .as("each session's appends in seq order")
                    .allSatisfy((sessionId, events) -> assertThat(events).extracting(EventRecord::seq)
                        .containsExactlyElementsOf(range(1, appendsPerWriter)));
                assertThat(entries.stream()
                    .collect(Collectors.groupingBy(FeedEntry::sessionId,
                            Collectors.mapping(FeedEntry::type, Collectors.toList()))))
                    .as("each session's lifecycle in order")
                    .allSatisfy((sessionId, types) -> {
                        assertThat(types.get(0)).isEqualTo(FeedEntryType.SESSION_CREATED);
                        assertThat(types.get(types.size() - 1)).isEqualTo(FeedEntryType.SESSION_UPDATED);
                    });
            }
            assertThat(results.get(0).entries).as("both followers read the same feed")
                .containsExactlyElementsOf(results.get(1).entries);
        }
        finally {
            subscriptions.forEach(Subscription::close);
        }
    }

    /**
     * Follows the feed from the start until {@code total} entries: every page continues exactly where the last one
     * ended; an empty page waits for the feed to move.
     */
    private static List<FeedEntry> follow(SessionStore store, Semaphore moved, int total) {
        List<FeedEntry> entries = new ArrayList<>();
        long cursor = 0;
        while (entries.size() < total) {
            FeedPage page = store.readFeed(FeedQuery.after(cursor).withLimit(7));
            assertThat(page.reset()).as("reset at cursor %d", cursor).isFalse();
            assertThat(page.entries()).extracting(FeedEntry::seq).as("a page after %d", cursor)
                .containsExactlyElementsOf(range(cursor + 1, cursor + page.entries().size()));
            entries.addAll(page.entries());
            assertThat(page.nextCursor()).isGreaterThanOrEqualTo(cursor + page.entries().size());
            cursor = page.nextCursor();
            if (page.entries().isEmpty() && entries.size() < total && !acquire(moved)) {
                fail("The feed did not move within " + WAIT + " at cursor " + cursor);
            }
        }
        return entries;
    }

    private static boolean acquire(Semaphore moved) {
        try {
            boolean acquired = moved.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            moved.drainPermits();
            return acquired;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** What one thread followed or appended. */
    private record Followed(List<FeedEntry> entries, List<EventRecord> appended) {
    }

}
