package io.mcpsession.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sweeps under load (SPEC §3.8): many sessions expire at once, more than one sweep batch of them, while concurrent
 * sweeps race appends, reads, state writes and deletes on live sessions and on the expiring ones. Nothing
 * deadlocks, nothing acknowledged is lost, and each expired session is removed once, with one
 * {@code session.expired} entry.
 */
public abstract class SweepContract extends ContractSupport {

    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** More than two sweep batches (the JDBC and Redis stores sweep 100 sessions a batch). */
    private static final int EXPIRING = 250;

    private static final int LIVE = 12;

    /** Live sessions that a thread deletes while the others write to them. */
    private static final int DOOMED = 4;

    private static final int SWEEPERS = 3;

    private static final int SWEEPS_EACH = 2;

    private static final int WRITERS = 4;

    private static final int ROUNDS = 20;

    /** Threads that keep calling the expiring sessions while they are swept. */
    private static final int CALLERS_OF_EXPIRED = 2;

    private static final int CREATORS = 4;

    protected SweepContract(StoreFactory factory) {
        super(factory);
    }

    @Test
    void concurrentSweepsRacingTrafficRemoveEachExpiredSessionOnceAndLoseNothing() {
        SessionStore store = newStore(StoreSettings.defaults().withTimeout(TIMEOUT));
        List<String> expiring = createSessions(store, EXPIRING, true);
        this.clock.advance(TIMEOUT.minusMinutes(4));
        List<String> live = createSessions(store, LIVE, false);
        List<String> doomed = createSessions(store, DOOMED, false);
        doomed.forEach((id) -> append(store, id, "\"before the delete\""));
        List<String> written = new ArrayList<>(live);
        written.addAll(doomed);
        this.clock.advance(Duration.ofMinutes(5));

        int writersFrom = SWEEPERS;
        int callersFrom = writersFrom + WRITERS;
        int deleter = callersFrom + CALLERS_OF_EXPIRED;
        List<Load> loads = runConcurrently(deleter + 1, (thread) -> {
            if (thread < writersFrom) {
                return sweep(store);
            }
            if (thread < callersFrom) {
                return write(store, written, Set.copyOf(doomed), thread - writersFrom);
            }
            if (thread < deleter) {
                return callExpired(store, expiring, thread - callersFrom);
            }
            doomed.forEach((id) -> assertThat(store.delete(id)).as("delete of live %s", id).isTrue());
            return new Load();
        });

        Load load = new Load();
        loads.forEach(load::add);
        assertThat(load.unexpected).as("outcomes other than success or SESSION_NOT_FOUND where allowed").isEmpty();
        assertThat(load.expired).as("sessions the sweeps expired").isBetween(0L, (long) EXPIRING);
        assertThat(store.sweep().expiredSessions()).as("expired sessions left after the sweeps").isZero();
        expiring.forEach((id) -> assertThat(store.find(id)).as("expired %s", id).isEmpty());
        doomed.forEach((id) -> assertThat(store.find(id)).as("deleted %s", id).isEmpty());
        for (String id : live) {
            assertThat(store.find(id)).as("live %s", id).isPresent();
            List<EventRecord> log = readAll(store, id).events();
            List<EventRecord> acknowledged = load.appended.getOrDefault(id, List.of());
            assertThat(seqs(log)).as("seqs of live %s", id).containsExactlyElementsOf(range(1, log.size()));
            assertThat(log).as("log of live %s against every acknowledged append", id)
                .containsExactlyInAnyOrderElementsOf(acknowledged);
            load.state.getOrDefault(id, Map.of()).forEach((key, value) -> assertThat(store.getState(id, key))
                .as("state %s of live %s", key, id).contains(value));
        }

        EventRecord marker = append(store, live.get(0), "\"marker\"");
        eventually().untilAsserted(() -> assertThat(feedOf(store, live.get(0)))
            .anySatisfy((entry) -> assertThat(entry.event()).isEqualTo(marker)));
        assertThat(readFeed(store, Set.of(FeedEntryType.SESSION_EXPIRED), null)).extracting(FeedEntry::sessionId)
            .as("one session.expired entry per expired session, none for others")
            .containsExactlyInAnyOrderElementsOf(expiring);
        assertThat(readFeed(store, Set.of(FeedEntryType.SESSION_DELETED), null)).extracting(FeedEntry::sessionId)
            .as("one session.deleted entry per deleted session")
            .containsExactlyInAnyOrderElementsOf(doomed);
    }

    /**
     * Creates {@code count} sessions on several threads.
     * @param withData whether every fifth one gets two events and a state value (for the sweep to delete)
     */
    private static List<String> createSessions(SessionStore store, int count, boolean withData) {
        List<List<String>> byThread = runConcurrently(CREATORS, (thread) -> {
            List<String> ids = new ArrayList<>();
            for (int i = thread; i < count; i += CREATORS) {
                String id = newSession(store).id();
                if (withData && i % 5 == 0) {
                    store.appendAll(id, List.of(NewEvent.of("message", "1"), NewEvent.of("message", "2")));
                    store.putState(id, "k", "1");
                }
                ids.add(id);
            }
            return ids;
        });
        return byThread.stream().flatMap(List::stream).toList();
    }

    private static Load sweep(SessionStore store) {
        Load load = new Load();
        for (int i = 0; i < SWEEPS_EACH; i++) {
            load.expired += store.sweep().expiredSessions();
        }
        return load;
    }

    /** Appends, batch appends, state writes and reads, round after round; a doomed session may vanish. */
    private static Load write(SessionStore store, List<String> sessions, Set<String> doomed, int writer) {
        Load load = new Load();
        for (int round = 0; round < ROUNDS; round++) {
            String id = sessions.get((writer + round) % sessions.size());
            String data = "{\"w\":" + writer + ",\"r\":" + round + "}";
            String key = "w" + writer;
            String value = Integer.toString(round);
            load.call(id, doomed.contains(id), () -> {
                EventRecord single = store.append(id, NewEvent.of("message", data)).event();
                List<EventRecord> batch = store.appendAll(id, List.of(NewEvent.of("batch", data),
                        NewEvent.of("batch", data))).stream().map((result) -> result.event()).toList();
                List<EventRecord> appended = load.appended.computeIfAbsent(id, (any) -> new ArrayList<>());
                appended.add(single);
                appended.addAll(batch);
                store.putState(id, key, value);
                load.state.computeIfAbsent(id, (any) -> new HashMap<>()).put(key, value);
                EventPage page = store.read(id, EventQuery.after(0).withLimit(10));
                assertThat(page.events()).as("read of %s", id).isNotEmpty();
                return null;
            });
        }
        return load;
    }

    /** Every kind of call on expired sessions: each must answer as for a session that does not exist. */
    private static Load callExpired(SessionStore store, List<String> expiring, int caller) {
        Load load = new Load();
        for (int i = caller; i < expiring.size(); i += CALLERS_OF_EXPIRED) {
            String id = expiring.get(i);
            switch (i % 6) {
                case 0 -> load.callGone(id, () -> store.append(id, NewEvent.of("message", "1")));
                case 1 -> load.callGone(id, () -> store.appendAll(id, List.of(NewEvent.of("message", "1"))));
                case 2 -> load.callGone(id, () -> {
                    store.putState(id, "k", "2");
                    return null;
                });
                case 3 -> load.callGone(id, () -> store.read(id, EventQuery.after(0)));
                case 4 -> load.callGone(id, () -> store.update(id, new SessionPatch("{\"initialized\":true}")));
                default -> {
                    if (store.delete(id)) {
                        load.unexpected.add("delete of expired " + id + " reported a live session");
                    }
                }
            }
        }
        return load;
    }

    /** What a thread's calls did. */
    private static final class Load {

        private long expired;

        private final Map<String, List<EventRecord>> appended = new HashMap<>();

        private final Map<String, Map<String, String>> state = new HashMap<>();

        private final List<String> unexpected = new ArrayList<>();

        /** Runs {@code call}; only a session that may vanish may answer {@code SESSION_NOT_FOUND}. */
        void call(String id, boolean mayVanish, Supplier<?> call) {
            try {
                call.get();
            }
            catch (McpSessionException ex) {
                if (!mayVanish || ex.code() != ErrorCode.SESSION_NOT_FOUND) {
                    this.unexpected.add(id + ": " + ex.code() + " " + ex.getMessage());
                }
            }
        }

        /** Runs a call that must fail with {@code SESSION_NOT_FOUND}. */
        void callGone(String id, Supplier<?> call) {
            try {
                call.get();
                this.unexpected.add("a call on expired " + id + " succeeded");
            }
            catch (McpSessionException ex) {
                if (ex.code() != ErrorCode.SESSION_NOT_FOUND) {
                    this.unexpected.add(id + ": " + ex.code() + " " + ex.getMessage());
                }
            }
        }

        void add(Load other) {
            this.expired += other.expired;
            other.appended.forEach((id, events) -> this.appended.computeIfAbsent(id, (any) -> new ArrayList<>())
                .addAll(events));
            other.state.forEach((id, values) -> this.state.computeIfAbsent(id, (any) -> new HashMap<>())
                .putAll(values));
            this.unexpected.addAll(other.unexpected);
        }

    }

}
