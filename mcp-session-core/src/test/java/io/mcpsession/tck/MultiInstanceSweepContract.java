package io.mcpsession.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.SweepResult;

import static io.mcpsession.tck.ContractSupport.eventually;
import static io.mcpsession.tck.ContractSupport.range;
import static io.mcpsession.tck.ContractSupport.readAll;
import static io.mcpsession.tck.ContractSupport.readFeed;
import static io.mcpsession.tck.ContractSupport.runConcurrently;
import static io.mcpsession.tck.ContractSupport.seqs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sweeps with several instances: one at a time, and never deadlocking with live traffic on any instance
 * (SPEC §3.8: "a sweep runs on one at a time (lease or lock), deletes in bounded batches and never deadlocks with
 * live traffic").
 */
public abstract class MultiInstanceSweepContract extends MultiInstanceSupport {

    /** More than one bounded batch of a sweep (JDBC sweeps 100 sessions a batch). */
    private static final int EXPIRING = 150;

    private static final StoreSettings ONE_MINUTE = StoreSettings.defaults().withTimeout(Duration.ofMinutes(1));

    protected MultiInstanceSweepContract(SharedStoreFactory factory) {
        super(factory);
    }

    @Test
    void onlyOneInstanceSweepsAtATime() {
        List<SessionStore> stores = instances(3, ONE_MINUTE);
        List<String> expiring = createIdle(stores, EXPIRING);
        this.clock.advance(Duration.ofMinutes(2));

        long expired = 0;
        for (int round = 0; round < 5; round++) {
            // Every instance sweeps at once; without a lease each would remove a share of the sessions.
            List<SweepResult> results = runConcurrently(stores.size(), (instance) -> stores.get(instance).sweep());
            assertThat(results).as("instances that removed anything in round %d: %s", round, results)
                .filteredOn((result) -> result.total() > 0)
                .hasSizeLessThanOrEqualTo(1);
            expired += results.stream().mapToLong(SweepResult::expiredSessions).sum();
        }

        assertThat(expired).isEqualTo(EXPIRING);
        for (SessionStore store : stores) {
            assertThat(expiring).allSatisfy((id) -> assertThat(store.find(id)).isEmpty());
        }
        eventually().untilAsserted(() -> assertThat(expiredEntries(stores.get(2))).hasSize(EXPIRING)
            .allSatisfy((id, count) -> assertThat(count).as("session.expired entries of %s", id).isOne())
            .containsOnlyKeys(expiring));
    }

    @Test
    void sweepsOnTwoInstancesUnderLoadLoseNothingAndExpireEachSessionOnce() {
        List<SessionStore> stores = instances(2, ONE_MINUTE);
        SessionStore a = stores.get(0);
        SessionStore b = stores.get(1);
        List<String> expiring = createIdle(stores, EXPIRING);
        this.clock.advance(Duration.ofMinutes(2));
        List<String> live = List.of(a.create(NewSession.anonymous()).id(), b.create(NewSession.anonymous()).id(),
                a.create(NewSession.anonymous()).id(), b.create(NewSession.anonymous()).id());
        int appendsPerWriter = 60;
        int stateWrites = 30;
        int throwaways = 10;

        // Per thread: 0-1 sweep, 2-3 append, 4-5 write state, 6 reads, 7 creates and deletes, on both instances.
        List<LoadResult> results = runConcurrently(8, (thread) -> {
            SessionStore store = stores.get(thread % 2);
            LoadResult result = new LoadResult();
            switch (thread) {
                case 0, 1 -> {
                    for (int i = 0; i < 3; i++) {
                        result.expired += store.sweep().expiredSessions();
                    }
                }
                case 2, 3 -> {
                    for (int i = 0; i < appendsPerWriter; i++) {
                        String sessionId = live.get(i % live.size());
                        result.appended.add(store
                            .append(sessionId, NewEvent.of("w" + thread + "-" + i, "message", "{\"i\":" + i + "}"))
                            .event());
                    }
                }
                case 4, 5 -> {
                    for (int i = 0; i < stateWrites; i++) {
                        String sessionId = live.get(i % live.size());
                        store.putState(sessionId, "k" + thread + "-" + i, Integer.toString(i));
                        result.stateKeys.add(sessionId + "/k" + thread + "-" + i);
                    }
                }
                case 6 -> {
                    for (int i = 0; i < 40; i++) {
                        for (String sessionId : live) {
                            EventPage page = store.read(sessionId, EventQuery.after(0).withLimit(1000));
                            assertThat(page.reset()).isFalse();
                            assertThat(seqs(page.events())).containsExactlyElementsOf(range(1, page.latest()));
                        }
                    }
                }
                default -> {
                    for (int i = 0; i < throwaways; i++) {
                        Session throwaway = store.create(NewSession.anonymous());
                        store.append(throwaway.id(), NewEvent.of("message", "1"));
                        result.deleted.add(throwaway.id());
                        assertThat(store.delete(throwaway.id())).isTrue();
                        // An expired session behaves as a deleted one, whether or not a sweep got to it yet.
                        assertThat(store.delete(expiring.get(i))).isFalse();
                    }
                }
            }
            return result;
        });

        // A delete that meets an expired session may end it (as expired) before a sweep does.
        assertThat(results.stream().mapToLong((result) -> result.expired).sum())
            .as("sessions the sweeps expired").isBetween((long) EXPIRING - throwaways, (long) EXPIRING);
        for (SessionStore store : stores) {
            assertThat(expiring).allSatisfy((id) -> assertThat(store.find(id)).isEmpty());
        }
        Map<String, List<EventRecord>> acknowledged = results.stream()
            .flatMap((result) -> result.appended.stream())
            .sorted(Comparator.comparingLong(EventRecord::seq))
            .collect(Collectors.groupingBy(EventRecord::sessionId));
        assertThat(acknowledged.values().stream().mapToInt(List::size).sum()).isEqualTo(2 * appendsPerWriter);
        for (String sessionId : live) {
            List<EventRecord> stored = readAll(b, sessionId).events();
            assertThat(stored).as("the log of live session %s", sessionId)
                .containsExactlyElementsOf(acknowledged.get(sessionId));
            assertThat(seqs(stored)).containsExactlyElementsOf(range(1, stored.size()));
            assertThat(a.getAllState(sessionId).keySet()).as("state of live session %s", sessionId)
                .containsExactlyInAnyOrderElementsOf(results.stream()
                    .flatMap((result) -> result.stateKeys.stream())
                    .filter((key) -> key.startsWith(sessionId + "/"))
                    .map((key) -> key.substring(sessionId.length() + 1))
                    .toList());
        }
        List<String> deleted = results.stream().flatMap((result) -> result.deleted.stream()).toList();
        eventually().untilAsserted(() -> {
            List<FeedEntry> feed = readFeed(a, Set.of(), null);
            assertThat(countByType(feed, FeedEntryType.SESSION_EXPIRED)).containsOnlyKeys(expiring)
                .allSatisfy((id, count) -> assertThat(count).as("session.expired entries of %s", id).isOne());
            assertThat(countByType(feed, FeedEntryType.SESSION_DELETED)).containsOnlyKeys(deleted)
                .allSatisfy((id, count) -> assertThat(count).isOne());
            assertThat(feed.stream().filter((entry) -> entry.type() == FeedEntryType.EVENT_APPENDED
                    && live.contains(entry.sessionId()))).hasSize(2 * appendsPerWriter);
        });
    }

    /** {@code count} sessions with no activity, created on each instance in turn; their ids. */
    private static List<String> createIdle(List<SessionStore> stores, int count) {
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(stores.get(i % stores.size()).create(NewSession.withId("idle-" + i)).id());
        }
        return ids;
    }

    private static Map<String, Long> expiredEntries(SessionStore store) {
        return countByType(readFeed(store, Set.of(FeedEntryType.SESSION_EXPIRED), null), FeedEntryType.SESSION_EXPIRED);
    }

    private static Map<String, Long> countByType(List<FeedEntry> entries, FeedEntryType type) {
        return entries.stream()
            .filter((entry) -> entry.type() == type)
            .collect(Collectors.groupingBy(FeedEntry::sessionId, Collectors.counting()));
    }

    /** What one thread of the load did. */
    private static final class LoadResult {

        long expired;

        final List<EventRecord> appended = new ArrayList<>();

        final List<String> deleted = new ArrayList<>();

        /** {@code sessionId/key} of every state write. */
        final List<String> stateKeys = new ArrayList<>();

    }

}
