package io.mcpsession.tck;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.store.SessionStore;

import static io.mcpsession.tck.ContractSupport.eventually;
import static io.mcpsession.tck.ContractSupport.feedOf;
import static io.mcpsession.tck.ContractSupport.range;
import static io.mcpsession.tck.ContractSupport.readAll;
import static io.mcpsession.tck.ContractSupport.runConcurrently;
import static io.mcpsession.tck.ContractSupport.seqs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several instances over one storage serve any session, and their racing appends, duplicates and batches keep
 * one log: contiguous seqs, one event per id, batches unbroken (SPEC §3.1–§3.3, "any instance can serve any
 * session").
 */
public abstract class MultiInstanceRacesContract extends MultiInstanceSupport {

    private static final int INSTANCES = 3;

    protected MultiInstanceRacesContract(SharedStoreFactory factory) {
        super(factory);
    }

    @Test
    void aSessionCreatedOnOneIsServedByAnother() {
        List<SessionStore> stores = instances(2);
        SessionStore a = stores.get(0);
        SessionStore b = stores.get(1);
        a.create(new NewSession("handoff", null, null, "2025-11-25", "{\"user\":\"ann\"}", null));
        a.putState("handoff", "k", "1");
        EventRecord first = a.append("handoff", NewEvent.of("e1", "message", "\"from a\"")).event();

        assertThat(b.find("handoff")).hasValueSatisfying((session) -> {
            assertThat(session.protocolVersion()).isEqualTo("2025-11-25");
            assertThat(session.metadata()).isEqualTo("{\"user\":\"ann\"}");
        });
        assertThat(b.getState("handoff", "k")).contains("1");
        AppendResult fromB = b.append("handoff", NewEvent.of("e2", "message", "\"from b\""));
        AppendResult again = b.append("handoff", NewEvent.of("e1", "message", "\"again\""));
        b.update("handoff", new SessionPatch("{\"initialized\":true}"));

        assertThat(fromB.duplicate()).isFalse();
        assertThat(fromB.event().seq()).isEqualTo(2);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.event()).isEqualTo(first);
        assertThat(readAll(a, "handoff").events()).containsExactly(first, fromB.event());
        assertThat(a.find("handoff")).hasValueSatisfying((session) -> assertThat(session.initialized()).isTrue());
        assertThat(b.delete("handoff")).isTrue();
        assertThat(a.find("handoff")).isEmpty();
    }

    @Test
    void racingAppendsFromEveryInstanceGetContiguousSeqsInCommitOrder() {
        List<SessionStore> stores = instances(INSTANCES);
        Session session = stores.get(0).create(NewSession.anonymous());
        int threads = 2 * INSTANCES;
        int perThread = 40;
        int total = threads * perThread;

        List<List<EventRecord>> acknowledged = runConcurrently(threads, (thread) -> {
            SessionStore store = stores.get(thread % INSTANCES);
            List<EventRecord> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                AppendResult result = store.append(session.id(),
                        NewEvent.of("t" + thread + "-" + i, "message", "{\"t\":" + thread + ",\"i\":" + i + "}"));
                assertThat(result.duplicate()).as("a new id reported as a duplicate").isFalse();
                mine.add(result.event());
            }
            return mine;
        });

        for (List<EventRecord> mine : acknowledged) {
            assertThat(seqs(mine)).as("one thread's appends in the order they were acknowledged").isSorted()
                .doesNotHaveDuplicates();
        }
        List<EventRecord> all = acknowledged.stream()
            .flatMap(List::stream)
            .sorted(Comparator.comparingLong(EventRecord::seq))
            .toList();
        assertThat(seqs(all)).containsExactlyElementsOf(range(1, total));
        for (SessionStore store : stores) {
            assertThat(store.read(session.id(), EventQuery.after(0).withLimit(1000)).events())
                .as("the log read from every instance holds each acknowledged append once")
                .containsExactlyElementsOf(all);
        }
        eventually().untilAsserted(() -> assertThat(appendedEntries(stores.get(1), session.id()))
            .containsExactlyElementsOf(all));
    }

    @Test
    void racingDuplicatesFromEveryInstanceStoreOneEventPerIdAndReturnIt() {
        List<SessionStore> stores = instances(INSTANCES);
        Session session = stores.get(0).create(NewSession.anonymous());
        int ids = 20;
        int threads = 2 * INSTANCES;

        // Every thread appends every id, each starting at another id, with data naming the thread.
        List<List<AppendResult>> results = runConcurrently(threads, (thread) -> {
            SessionStore store = stores.get(thread % INSTANCES);
            List<AppendResult> mine = new ArrayList<>();
            for (int i = 0; i < ids; i++) {
                int id = (i + thread * 3) % ids;
                mine.add(store.append(session.id(), NewEvent.of("d" + id, "message", "{\"t\":" + thread + "}")));
            }
            return mine;
        });

        List<EventRecord> stored = readAll(stores.get(1), session.id()).events();
        assertThat(seqs(stored)).containsExactlyElementsOf(range(1, ids));
        Map<String, EventRecord> storedById = stored.stream()
            .collect(Collectors.toMap(EventRecord::id, Function.identity()));
        assertThat(storedById).hasSize(ids);
        List<AppendResult> all = results.stream().flatMap(List::stream).toList();
        assertThat(all).hasSize(threads * ids).allSatisfy((result) -> assertThat(result.event())
            .as("what a caller got back for %s", result.event().id())
            .isEqualTo(storedById.get(result.event().id())));
        Map<String, List<AppendResult>> firstWrites = all.stream()
            .filter((result) -> !result.duplicate())
            .collect(Collectors.groupingBy((result) -> result.event().id()));
        assertThat(firstWrites).as("exactly one caller per id wrote it").hasSize(ids)
            .allSatisfy((id, writes) -> assertThat(writes).hasSize(1));
        eventually().untilAsserted(() -> assertThat(appendedEntries(stores.get(2), session.id()))
            .containsExactlyElementsOf(stored));
    }

    @Test
    void racingBatchesFromEveryInstanceStayWholeAndContiguous() {
        List<SessionStore> stores = instances(INSTANCES);
        Session session = stores.get(0).create(NewSession.anonymous());
        int threads = 2 * INSTANCES;
        int batches = 10;
        int batchSize = 4;

        List<List<List<EventRecord>>> acknowledged = runConcurrently(threads, (thread) -> {
            SessionStore store = stores.get(thread % INSTANCES);
            List<List<EventRecord>> mine = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                List<NewEvent> batch = new ArrayList<>();
                for (int k = 0; k < batchSize; k++) {
                    batch.add(NewEvent.of("t" + thread + "-b" + b + "-" + k, "message", "{\"k\":" + k + "}"));
                }
                List<AppendResult> results = store.appendAll(session.id(), batch);
                assertThat(results).noneMatch(AppendResult::duplicate);
                mine.add(results.stream().map(AppendResult::event).toList());
            }
            return mine;
        });

        List<EventRecord> stored = readAll(stores.get(1), session.id()).events();
        assertThat(seqs(stored)).containsExactlyElementsOf(range(1, threads * batches * batchSize));
        for (List<List<EventRecord>> mine : acknowledged) {
            for (List<EventRecord> batch : mine) {
                long first = batch.get(0).seq();
                assertThat(seqs(batch)).as("a batch takes contiguous seqs")
                    .containsExactlyElementsOf(range(first, first + batchSize - 1));
                assertThat(stored.subList((int) first - 1, (int) first - 1 + batchSize))
                    .as("the stored log holds the batch, in order, with nothing inside it")
                    .containsExactlyElementsOf(batch);
            }
        }
    }

    @Test
    void racingIdenticalBatchesFromEveryInstanceAreStoredOnce() {
        List<SessionStore> stores = instances(INSTANCES);
        Session session = stores.get(0).create(NewSession.anonymous());
        int threads = 2 * INSTANCES;

        // The first batch is new for one caller only; the second repeats two of its ids and adds three.
        List<List<List<AppendResult>>> results = runConcurrently(threads, (thread) -> {
            SessionStore store = stores.get(thread % INSTANCES);
            String data = "{\"t\":" + thread + "}";
            List<AppendResult> first = store.appendAll(session.id(), List.of(NewEvent.of("x1", "message", data),
                    NewEvent.of("x2", "message", data), NewEvent.of("x3", "message", data),
                    NewEvent.of("x4", "message", data), NewEvent.of("x5", "message", data)));
            List<AppendResult> second = store.appendAll(session.id(), List.of(NewEvent.of("x4", "message", data),
                    NewEvent.of("x5", "message", data), NewEvent.of("x6", "message", data),
                    NewEvent.of("x7", "message", data), NewEvent.of("x8", "message", data)));
            return List.of(first, second);
        });

        List<EventRecord> stored = readAll(stores.get(2), session.id()).events();
        assertThat(stored).extracting(EventRecord::id).containsExactly("x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8");
        assertThat(seqs(stored)).containsExactlyElementsOf(range(1, 8));
        assertThat(stored.subList(0, 5)).extracting(EventRecord::data).as("one caller's first batch won whole")
            .containsOnly(stored.get(0).data());
        assertThat(stored.subList(5, 8)).extracting(EventRecord::data).as("one caller's second batch won whole")
            .containsOnly(stored.get(5).data());
        for (List<List<AppendResult>> mine : results) {
            assertThat(mine.get(0)).extracting(AppendResult::event).containsExactlyElementsOf(stored.subList(0, 5));
            assertThat(mine.get(1)).extracting(AppendResult::event)
                .containsExactlyElementsOf(stored.subList(3, 8));
            assertThat(mine.get(1).subList(0, 2)).as("ids of the first batch are duplicates")
                .allMatch(AppendResult::duplicate);
        }
        assertThat(results).as("callers whose first batch was new")
            .filteredOn((mine) -> mine.get(0).stream().noneMatch(AppendResult::duplicate))
            .hasSize(1);
        assertThat(results).as("the others got only originals back")
            .filteredOn((mine) -> mine.get(0).stream().allMatch(AppendResult::duplicate))
            .hasSize(threads - 1);
        assertThat(results).as("callers whose second batch added x6 to x8")
            .filteredOn((mine) -> mine.get(1).subList(2, 5).stream().noneMatch(AppendResult::duplicate))
            .hasSize(1);
        assertThat(results).filteredOn((mine) -> mine.get(1).subList(2, 5).stream().allMatch(AppendResult::duplicate))
            .hasSize(threads - 1);
    }

    /** The events of a session's {@code event.appended} feed entries, in feed order. */
    static List<EventRecord> appendedEntries(SessionStore store, String sessionId) {
        return feedOf(store, sessionId).stream()
            .filter((entry) -> entry.type() == FeedEntryType.EVENT_APPENDED)
            .map(FeedEntry::event)
            .toList();
    }

}
