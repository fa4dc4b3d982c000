package io.mcpsession.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.store.OverflowPolicy;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.Subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Races between real threads: creates, appends against readers, deletes and sweeps (SPEC §3.1, §3.7, §3.8).
 * Every task has a timeout, so a deadlock fails the test instead of hanging it.
 */
public abstract class ConcurrencyContract extends ContractSupport {

    protected ConcurrencyContract(StoreFactory factory) {
        super(factory);
    }

    /** The outcome of one racing call: the error code, or {@code null} for success. */
    private static ErrorCode outcome(Runnable call) {
        try {
            call.run();
            return null;
        }
        catch (McpSessionException ex) {
            return ex.code();
        }
    }

    @Test
    void racingCreatesOfOneIdCreateOneSession() {
        SessionStore store = newStore();

        List<ErrorCode> outcomes = runConcurrently(16, (thread) -> outcome(() -> store.create(
                new NewSession("contested", null, null, null, "{\"t\":" + thread + "}", null))));

        assertThat(outcomes).filteredOn((code) -> code == null).hasSize(1);
        assertThat(outcomes).filteredOn((code) -> code != null).hasSize(15).containsOnly(ErrorCode.SESSION_EXISTS);
        assertThat(store.list(null, 100).sessions()).extracting(Session::id).containsExactly("contested");
    }

    @Test
    void racingCreatesRespectMaxSessions() {
        SessionStore store = newStore(StoreSettings.defaults().withMaxSessions(10));

        List<ErrorCode> outcomes = runConcurrently(16, (thread) -> outcome(() -> newSession(store, "s" + thread)));

        assertThat(outcomes).filteredOn((code) -> code == null).hasSize(10);
        assertThat(outcomes).filteredOn((code) -> code != null).containsOnly(ErrorCode.MAX_SESSIONS_REACHED);
        assertThat(store.list(null, 100).sessions()).hasSize(10);
    }

    @Test
    void readerFollowingWritersSeesEverySeqOnceInOrder() {
        SessionStore store = newStore();
        Session session = newSession(store);
        int writers = 4;
        int perWriter = 100;
        int total = writers * perWriter;
        Semaphore moved = new Semaphore(0);

        try (Subscription subscription = store.subscribe(session.id(), new Wake(moved))) {
            List<List<Long>> results = runConcurrently(writers + 1, (thread) -> {
                if (thread > 0) {
                    for (int i = 0; i < perWriter; i++) {
                        store.append(session.id(), NewEvent.of("message", "{\"w\":" + thread + ",\"i\":" + i + "}"));
                    }
                    return List.of();
                }
                List<Long> seen = new ArrayList<>();
                long cursor = 0;
                while (cursor < total) {
                    EventPage page = store.read(session.id(), EventQuery.after(cursor).withLimit(37));
                    assertThat(page.reset()).isFalse();
                    for (EventRecord event : page.events()) {
                        assertThat(event.seq()).as("next seq after %s", cursor).isEqualTo(seen.size() + 1L);
                        seen.add(event.seq());
                    }
                    assertThat(page.nextCursor()).isGreaterThanOrEqualTo(cursor);
                    cursor = page.nextCursor();
                    if (page.events().isEmpty() && cursor < total && !acquire(moved)) {
                        fail("No append was heard within " + WAIT + " at cursor " + cursor);
                    }
                }
                return seen;
            });

            assertThat(results.get(0)).containsExactlyElementsOf(range(1, total));
        }
    }

    @Test
    void appendsRacingDeleteEndCleanly() {
        SessionStore store = newStore();
        Session session = newSession(store);
        appendMany(store, session.id(), 5);

        List<List<ErrorCode>> outcomes = runConcurrently(9, (thread) -> {
            List<ErrorCode> mine = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                if (thread == 0 && i == 10) {
                    assertThat(store.delete(session.id())).isTrue();
                }
                else if (thread > 0) {
                    mine.add(outcome(() -> store.append(session.id(), NewEvent.of("message", "1"))));
                }
            }
            return mine;
        });

        outcomes.forEach((mine) -> assertThat(mine).allSatisfy(
                (code) -> assertThat(code).isIn(null, ErrorCode.SESSION_NOT_FOUND)));
        assertThat(store.find(session.id())).isEmpty();
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.read(session.id(), EventQuery.after(0)));
    }

    @Test
    void sweepsRacingAppendsLoseNothing() {
        SessionStore store = newStore();
        Session session = newSession(store);
        int writers = 8;
        int perWriter = 100;

        runConcurrently(writers + 1, (thread) -> {
            for (int i = 0; i < perWriter; i++) {
                if (thread == 0) {
                    store.sweep();
                }
                else {
                    store.append(session.id(), NewEvent.of("message", "{\"w\":" + thread + ",\"i\":" + i + "}"));
                }
            }
            return null;
        });

        EventPage page = readAll(store, session.id());
        assertThat(seqs(page.events())).containsExactlyElementsOf(range(1, writers * perWriter));
    }

    @Test
    void evictionRacingAppendsKeepsWindowContiguous() {
        StoreSettings settings = StoreSettings.defaults().withEvents(50, Duration.ofHours(2), OverflowPolicy.EVICT_OLDEST);
        SessionStore store = newStore(settings);
        Session session = newSession(store);
        int writers = 8;
        int perWriter = 100;
        int total = writers * perWriter;

        runConcurrently(writers + 1, (thread) -> {
            for (int i = 0; i < perWriter; i++) {
                if (thread == 0) {
                    store.sweep();
                    EventPage page = store.read(session.id(), EventQuery.after(0).withLimit(1000));
                    assertThat(seqs(page.events()))
                        .containsExactlyElementsOf(range(page.earliestRetained(), page.latest()));
                }
                else {
                    store.append(session.id(), NewEvent.of("message", "{\"w\":" + thread + ",\"i\":" + i + "}"));
                }
            }
            return null;
        });
        store.sweep();

        EventPage page = store.read(session.id(), EventQuery.after(0));
        assertThat(page.latest()).isEqualTo(total);
        assertThat(page.earliestRetained()).isEqualTo(total - 49);
        assertThat(seqs(page.events())).containsExactlyElementsOf(range(total - 49, total));
    }

    private static boolean acquire(Semaphore semaphore) {
        try {
            return semaphore.tryAcquire(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Releases a permit whenever the log moves. */
    private record Wake(Semaphore moved) implements SessionListener {

        @Override
        public void appended(String sessionId, long latest, List<EventRecord> events) {
            this.moved.release();
        }

        @Override
        public void ephemeral(EphemeralEvent event) {
        }

        @Override
        public void closed(String sessionId, CloseReason reason) {
            this.moved.release();
        }

    }

}
