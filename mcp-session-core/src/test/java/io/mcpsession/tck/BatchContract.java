package io.mcpsession.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.Session;
import io.mcpsession.store.OverflowPolicy;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batch appends: atomic, contiguous, in order, duplicates in place (SPEC §3.3).
 */
public abstract class BatchContract extends ContractSupport {

    protected BatchContract(StoreFactory factory) {
        super(factory);
    }

    @Test
    void batchIsContiguousAndInOrder() {
        SessionStore store = newStore();
        Session session = newSession(store);
        appendMany(store, session.id(), 2);

        List<AppendResult> results = store.appendAll(session.id(),
                List.of(NewEvent.of("a", "\"first\""), NewEvent.of("b", "\"second\""), NewEvent.of("c", "\"third\"")));

        assertThat(results).allSatisfy((result) -> assertThat(result.created()).isTrue());
        assertThat(results).extracting((result) -> result.event().seq()).containsExactly(3L, 4L, 5L);
        assertThat(results).extracting((result) -> result.event().type()).containsExactly("a", "b", "c");
        assertThat(readAll(store, session.id()).events()).extracting(EventRecord::data)
            .containsExactly("{\"n\":1}", "{\"n\":2}", "\"first\"", "\"second\"", "\"third\"");
    }

    @Test
    void batchMemberDuplicatingStoredEventReturnsOriginalInPlace() {
        SessionStore store = newStore();
        Session session = newSession(store);
        EventRecord stored = append(store, session.id(), NewEvent.of("e1", "message", "\"stored\""));

        List<AppendResult> results = store.appendAll(session.id(), List.of(NewEvent.of("e2", "message", "2"),
                NewEvent.of("e1", "message", "\"again\""), NewEvent.of("e3", "message", "3")));

        assertThat(results).extracting(AppendResult::duplicate).containsExactly(false, true, false);
        assertThat(results.get(1).event()).isEqualTo(stored);
        assertThat(results).extracting((result) -> result.event().seq()).containsExactly(2L, 1L, 3L);
        assertThat(seqs(readAll(store, session.id()).events())).containsExactly(1L, 2L, 3L);
    }

    @Test
    void idRepeatedInsideBatchReturnsFirstInPlace() {
        SessionStore store = newStore();
        Session session = newSession(store);

        List<AppendResult> results = store.appendAll(session.id(), List.of(NewEvent.of("x", "message", "\"x1\""),
                NewEvent.of("y", "message", "\"y\""), NewEvent.of("x", "message", "\"x2\"")));

        assertThat(results).extracting(AppendResult::duplicate).containsExactly(false, false, true);
        assertThat(results.get(2).event()).isEqualTo(results.get(0).event());
        assertThat(results.get(2).event().data()).isEqualTo("\"x1\"");
        assertThat(readAll(store, session.id()).events()).extracting(EventRecord::data).containsExactly("\"x1\"", "\"y\"");
    }

    @Test
    void batchOfOnlyDuplicatesStoresNothing() {
        SessionStore store = newStore();
        Session session = newSession(store);
        append(store, session.id(), NewEvent.of("e1", "message", "1"));

        List<AppendResult> results = store.appendAll(session.id(),
                List.of(NewEvent.of("e1", "message", "9"), NewEvent.of("e1", "message", "8")));

        assertThat(results).allSatisfy((result) -> assertThat(result.duplicate()).isTrue());
        assertThat(store.position(session.id()).latest()).isEqualTo(1);
    }

    @Test
    void emptyBatchFailsWithInvalidRequest() {
        SessionStore store = newStore();
        Session session = newSession(store);

        assertCode(ErrorCode.INVALID_REQUEST, () -> store.appendAll(session.id(), List.of()));
        assertThat(store.position(session.id()).latest()).isZero();
    }

    @Test
    void batchWithEphemeralMemberFailsAndStoresNothing() {
        SessionStore store = newStore();
        Session session = newSession(store);
        appendMany(store, session.id(), 1);

        assertCode(ErrorCode.INVALID_REQUEST, () -> store.appendAll(session.id(), List.of(
                NewEvent.of("message", "1"), new NewEvent(null, "tick", "2", null, null, true))));

        assertThat(store.position(session.id()).latest()).isEqualTo(1);
        assertThat(readAll(store, session.id()).events()).hasSize(1);
    }

    @Test
    void batchWithMalformedMemberFailsAndStoresNothing() {
        SessionStore store = newStore();
        Session session = newSession(store);

        assertCode(ErrorCode.INVALID_REQUEST, () -> store.appendAll(session.id(),
                List.of(NewEvent.of("message", "1"), NewEvent.of("message", "{broken"))));

        assertThat(store.position(session.id()).latest()).isZero();
    }

    @Test
    void batchWithOversizedMemberFailsAndStoresNothing() {
        SessionStore store = newStore(StoreSettings.defaults().withMaxEventBytes(64));
        Session session = newSession(store);

        assertCode(ErrorCode.PAYLOAD_TOO_LARGE, () -> store.appendAll(session.id(),
                List.of(NewEvent.of("message", "1"), NewEvent.of("message", "\"" + "x".repeat(100) + "\""))));

        assertThat(store.position(session.id()).latest()).isZero();
    }

    @Test
    void batchThatDoesNotFitRejectingLogStoresNothing() {
        SessionStore store = newStore(StoreSettings.defaults().withEvents(5, Duration.ofHours(2), OverflowPolicy.REJECT));
        Session session = newSession(store);
        appendMany(store, session.id(), 3);

        assertCode(ErrorCode.MAX_EVENTS_REACHED, () -> store.appendAll(session.id(),
                List.of(NewEvent.of("message", "4"), NewEvent.of("message", "5"), NewEvent.of("message", "6"))));

        assertThat(seqs(readAll(store, session.id()).events())).containsExactly(1L, 2L, 3L);
        List<AppendResult> fits = store.appendAll(session.id(),
                List.of(NewEvent.of("message", "4"), NewEvent.of("message", "5")));
        assertThat(fits).extracting((result) -> result.event().seq()).containsExactly(4L, 5L);
    }

    @Test
    void batchToUnknownSessionFailsWithSessionNotFound() {
        SessionStore store = newStore();

        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.appendAll("unknown", List.of(NewEvent.of("message", "1"))));
    }

    @Test
    void concurrentBatchesStayContiguous() {
        SessionStore store = newStore();
        Session session = newSession(store);
        int threads = 8;
        int batches = 10;
        int size = 5;

        List<List<List<Long>>> byThread = runConcurrently(threads, (thread) -> {
            List<List<Long>> mine = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                List<NewEvent> batch = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    batch.add(NewEvent.of("message", "{\"t\":" + thread + ",\"b\":" + b + ",\"i\":" + i + "}"));
                }
                mine.add(store.appendAll(session.id(), batch).stream().map((r) -> r.event().seq()).toList());
            }
            return mine;
        });

        byThread.forEach((mine) -> mine.forEach((batchSeqs) -> assertThat(batchSeqs)
            .containsExactlyElementsOf(range(batchSeqs.get(0), batchSeqs.get(0) + size - 1))));
        assertThat(seqs(readAll(store, session.id()).events()))
            .containsExactlyElementsOf(range(1, (long) threads * batches * size));
    }

}
