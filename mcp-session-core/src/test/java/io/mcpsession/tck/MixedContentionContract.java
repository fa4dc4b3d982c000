package io.mcpsession.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.store.OverflowPolicy;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.Subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Mixed contention (SPEC §3.1–§3.3, §3.7): singles, batches with duplicate ids (also an id repeated inside the
 * batch), retries of earlier ids and ids that racing callers share, from many threads at once. A follower reads
 * while they write and checks every page: seqs contiguous from its cursor, every id once, and never part of a
 * batch. Afterwards every caller's result is checked against what the log holds.
 * <p>
 * How a half-written batch shows: each batch starts and ends with a member of its own fresh id, and each such
 * member's data carries the batch's tag, the number {@code k} of them and its index {@code i}. As a batch is
 * contiguous, once its first member is seen every following event up to its member {@code k - 1} belongs to it.
 * A page that is not full holds every event up to the log's end (for the page's cursor), so it may not end before
 * the batch's last member: if it does, the reader saw the log stop in the middle of a batch.
 */
public abstract class MixedContentionContract extends ContractSupport {

    private static final int WRITERS = 16;

    private static final int ROUNDS = 12;

    /** Writers that share a session in a round when there are many sessions, so shared ids race there too. */
    private static final int WRITERS_PER_SESSION = 4;

    private static final int MANY_SESSIONS = 50;

    /**
     * With many sessions, the sessions each group of writers walks through, two rounds on each (so that a retry
     * finds an id of its own there); the four groups cover all {@link #MANY_SESSIONS}.
     */
    private static final int SESSIONS_PER_GROUP = 13;

    /** Small pages, so that batches straddle page ends. */
    private static final int PAGE_LIMIT = 7;

    /** The members of a batch with ids of their own (the batch also carries a repeat, a retry and a shared id). */
    private static final int FRESH_PER_BATCH = 3;

    private static final int REJECT_CAP = 150;

    /** The most rounds of a writer filling a rejecting log; it stops at its first rejected single. */
    private static final int ROUNDS_UNTIL_FULL = 400;

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    protected MixedContentionContract(StoreFactory factory) {
        super(factory);
    }

    @Test
    void mixedAppendsToOneSessionKeepTheLogWhole() {
        SessionStore store = newStore();
        List<String> sessions = List.of(newSession(store).id());

        Contention contention = contend(store, sessions, ROUNDS, false);

        contention.assertLogsMatchCallers();
    }

    @Test
    void mixedAppendsToManySessionsKeepEachLogWhole() {
        SessionStore store = newStore();
        List<String> sessions = new ArrayList<>();
        for (int i = 0; i < MANY_SESSIONS; i++) {
            sessions.add(newSession(store).id());
        }

        Contention contention = contend(store, sessions, 2 * SESSIONS_PER_GROUP, false);

        contention.assertLogsMatchCallers();
        assertThat(contention.logs().values()).as("every session was written").allSatisfy(
                (log) -> assertThat(log).isNotEmpty());
    }

    @Test
    void mixedAppendsToRejectingLogFillItExactlyAndHalfWriteNothing() {
        SessionStore store = newStore(
                StoreSettings.defaults().withEvents(REJECT_CAP, Duration.ofHours(2), OverflowPolicy.REJECT));
        String sessionId = newSession(store).id();

        Contention contention = contend(store, List.of(sessionId), ROUNDS_UNTIL_FULL, true);

        contention.assertLogsMatchCallers();
        List<EventRecord> log = contention.logs().get(sessionId);
        assertThat(log).as("a full rejecting log holds exactly its cap").hasSize(REJECT_CAP);
        assertThat(store.position(sessionId).latest()).isEqualTo(REJECT_CAP);
        assertThat(log.get(log.size() - 1).seq()).as("no seq beyond the cap").isEqualTo(REJECT_CAP);
        List<Call> rejected = contention.calls().stream().filter((call) -> call.rejected() != null).toList();
        assertThat(rejected).as("the log was filled until appends were rejected").isNotEmpty();
        assertThat(rejected).extracting(Call::rejected).containsOnly(ErrorCode.MAX_EVENTS_REACHED);
        assertThat(rejected).filteredOn(Call::batch).as("batches that did not fit").isNotEmpty();
        Set<String> stored = new HashSet<>(log.stream().map(EventRecord::id).toList());
        for (Call call : rejected) {
            assertThat(call.freshIds()).as("ids of a rejected call (batch: %s) that reached the log", call.batch())
                .noneMatch(stored::contains);
        }
    }

    /**
     * Runs {@link #WRITERS} writers against {@code sessions} and one follower that checks every page it reads;
     * returns what each caller got and what each log holds afterwards.
     * @param untilFull whether each writer stops at its first rejected single (a rejecting log is full)
     */
    private Contention contend(SessionStore store, List<String> sessions, int rounds, boolean untilFull) {
        CountDownLatch writing = new CountDownLatch(WRITERS);
        Follower follower = new Follower(store, sessions);
        List<Subscription> subscriptions = new ArrayList<>();
        for (String sessionId : sessions) {
            subscriptions.add(store.subscribe(sessionId, follower));
        }
        List<List<Call>> byThread;
        try {
            byThread = runConcurrently(WRITERS + 1, (thread) -> {
                if (thread == 0) {
                    follower.follow(writing);
                    return List.of();
                }
                try {
                    return write(store, sessions, thread - 1, rounds, untilFull);
                }
                finally {
                    writing.countDown();
                    follower.wake();
                }
            });
        }
        finally {
            subscriptions.forEach(Subscription::close);
        }
        Map<String, List<EventRecord>> logs = new LinkedHashMap<>();
        for (String sessionId : sessions) {
            logs.put(sessionId, readLog(store, sessionId));
            assertThat(follower.logs.get(sessionId).seen).as("what the follower saw of %s", sessionId)
                .containsExactlyElementsOf(logs.get(sessionId));
        }
        return new Contention(byThread.stream().flatMap(List::stream).toList(), logs);
    }

    /** One writer's rounds: a fresh single, a batch, a single of a shared id, a retry of an earlier id. */
    private static List<Call> write(SessionStore store, List<String> sessions, int writer, int rounds,
            boolean untilFull) {
        Map<String, List<String>> acknowledged = new HashMap<>();
        List<Call> calls = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            String sessionId = sessions
                .get(((writer / WRITERS_PER_SESSION) * SESSIONS_PER_GROUP + round / 2) % sessions.size());
            List<String> earlier = acknowledged.computeIfAbsent(sessionId, (id) -> new ArrayList<>());
            String tag = "w" + writer + "-r" + round;
            String shared = "shared-r" + round;
            Call call = switch (round % 4) {
                case 1 -> call(store, sessionId, batch(tag, earlier, shared), true, freshIdsOf(tag));
                case 2 -> call(store, sessionId, List.of(NewEvent.of(shared, "shared", single(tag))), false, Set.of());
                case 3 -> earlier.isEmpty()
                        ? call(store, sessionId, List.of(NewEvent.of(tag, "single", single(tag))), false, Set.of(tag))
                        : call(store, sessionId,
                                List.of(NewEvent.of(earlier.get(round % earlier.size()), "retry", single(tag))), false,
                                Set.of());
                default -> call(store, sessionId, List.of(NewEvent.of(tag, "single", single(tag))), false, Set.of(tag));
            };
            calls.add(call);
            if (call.rejected() == null) {
                call.results().forEach((result) -> {
                    if (!earlier.contains(result.event().id())) {
                        earlier.add(result.event().id());
                    }
                });
            }
            else if (untilFull && !call.batch() && !call.freshIds().isEmpty()) {
                // The log is full: a batch with new ids must now be rejected whole too.
                String last = tag + "-last";
                calls.add(call(store, sessionId, batch(last, earlier, shared), true, freshIdsOf(last)));
                break;
            }
        }
        return calls;
    }

    /**
     * A batch: its first fresh member, that member's id again, a retry of an id this writer appended before (when
     * there is one), an id other writers race for, then its other fresh members.
     */
    private static List<NewEvent> batch(String tag, List<String> earlier, String shared) {
        List<NewEvent> batch = new ArrayList<>();
        batch.add(NewEvent.of(batchMemberId(tag, 0), "batch", batchData(tag, 0)));
        batch.add(NewEvent.of(batchMemberId(tag, 0), "batch", "{\"b\":\"" + tag + "\",\"repeat\":true}"));
        if (!earlier.isEmpty()) {
            batch.add(NewEvent.of(earlier.get(0), "batch", "{\"b\":\"" + tag + "\",\"retry\":true}"));
        }
        batch.add(NewEvent.of(shared, "batch", "{\"b\":\"" + tag + "\",\"shared\":true}"));
        for (int i = 1; i < FRESH_PER_BATCH; i++) {
            batch.add(NewEvent.of(batchMemberId(tag, i), "batch", batchData(tag, i)));
        }
        return batch;
    }

    private static Set<String> freshIdsOf(String tag) {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < FRESH_PER_BATCH; i++) {
            ids.add(batchMemberId(tag, i));
        }
        return ids;
    }

    private static String batchMemberId(String tag, int index) {
        return tag + "-" + index;
    }

    private static String batchData(String tag, int index) {
        return "{\"b\":\"" + tag + "\",\"k\":" + FRESH_PER_BATCH + ",\"i\":" + index + "}";
    }

    private static String single(String tag) {
        return "{\"w\":\"" + tag + "\"}";
    }

    private static Call call(SessionStore store, String sessionId, List<NewEvent> sent, boolean batch,
            Set<String> freshIds) {
        try {
            List<AppendResult> results = batch ? store.appendAll(sessionId, sent)
                    : List.of(store.append(sessionId, sent.get(0)));
            return new Call(sessionId, sent, batch, freshIds, results, null);
        }
        catch (McpSessionException ex) {
            return new Call(sessionId, sent, batch, freshIds, List.of(), ex.code());
        }
    }

    /** Every event of a log, paging with {@code nextCursor}. */
    private static List<EventRecord> readLog(SessionStore store, String sessionId) {
        List<EventRecord> log = new ArrayList<>();
        long after = 0;
        while (true) {
            EventPage page = store.read(sessionId, EventQuery.after(after).withLimit(1000));
            log.addAll(page.events());
            if (page.events().isEmpty()) {
                return log;
            }
            after = page.nextCursor();
        }
    }

    /**
     * One append or batch and its outcome.
     * @param freshIds the ids only this call sends (a rejected call must leave none of them in the log)
     * @param rejected the error code, or {@code null} when the call succeeded
     */
    private record Call(String sessionId, List<NewEvent> sent, boolean batch, Set<String> freshIds,
            List<AppendResult> results, @Nullable ErrorCode rejected) {
    }

    /** What every caller got, and every log afterwards. */
    private record Contention(List<Call> calls, Map<String, List<EventRecord>> logs) {

        void assertLogsMatchCallers() {
            Map<String, Map<String, EventRecord>> byId = new HashMap<>();
            this.logs.forEach((sessionId, log) -> {
                assertThat(seqs(log)).as("seqs of %s", sessionId).containsExactlyElementsOf(range(1, log.size()));
                Map<String, EventRecord> ids = new HashMap<>();
                log.forEach((event) -> assertThat(ids.put(event.id(), event)).as("id %s stored twice", event.id())
                    .isNull());
                byId.put(sessionId, ids);
            });
            Map<String, Set<String>> created = new HashMap<>();
            for (Call call : this.calls) {
                if (call.rejected() != null) {
                    assertThat(call.rejected()).as("the only refusal is a full rejecting log")
                        .isEqualTo(ErrorCode.MAX_EVENTS_REACHED);
                    continue;
                }
                Map<String, EventRecord> log = byId.get(call.sessionId());
                assertThat(call.results()).as("one result per event sent").hasSameSizeAs(call.sent());
                for (int i = 0; i < call.sent().size(); i++) {
                    NewEvent sent = call.sent().get(i);
                    AppendResult result = call.results().get(i);
                    assertThat(result.event()).as("result of %s in %s against the log", sent.id(), call.sessionId())
                        .isEqualTo(log.get(sent.id()));
                    if (result.created()) {
                        assertThat(result.event().data()).as("data of the first write").isEqualTo(sent.data());
                        assertThat(created.computeIfAbsent(call.sessionId(), (id) -> new HashSet<>()).add(sent.id()))
                            .as("%s created twice", sent.id())
                            .isTrue();
                    }
                }
                List<Long> createdSeqs = call.results().stream().filter(AppendResult::created)
                    .map((result) -> result.event().seq()).toList();
                if (!createdSeqs.isEmpty()) {
                    assertThat(createdSeqs).as("a call's new events are contiguous")
                        .containsExactlyElementsOf(range(createdSeqs.get(0), createdSeqs.get(createdSeqs.size() - 1)));
                }
                if (call.batch()) {
                    assertThat(call.results().get(1).duplicate()).as("an id repeated inside the batch").isTrue();
                    assertThat(call.results().get(1).event()).isEqualTo(call.results().get(0).event());
                }
            }
            this.logs.forEach((sessionId, log) -> assertThat(created.getOrDefault(sessionId, Set.of()))
                .as("ids some caller created in %s", sessionId)
                .containsExactlyInAnyOrderElementsOf(byId.get(sessionId).keySet()));
        }

    }

    /**
     * Reads every log page by page while the writers run, woken by their appends, and checks each page. It reads
     * the logs it was told moved; once the writers are done, every log to its end.
     */
    private static final class Follower implements SessionListener {

        private final SessionStore store;

        private final Map<String, FollowedLog> logs = new LinkedHashMap<>();

        private final Set<String> moved = ConcurrentHashMap.newKeySet();

        private final Semaphore wakeUps = new Semaphore(0);

        Follower(SessionStore store, List<String> sessions) {
            this.store = store;
            sessions.forEach((sessionId) -> this.logs.put(sessionId, new FollowedLog(sessionId)));
        }

        void follow(CountDownLatch writing) {
            while (true) {
                // Looked at before the pass: a pass that starts after the last write has returned sees all of it.
                boolean written = writing.getCount() == 0;
                List<String> due = new ArrayList<>(written ? this.logs.keySet() : this.moved);
                this.moved.removeAll(due);
                boolean progressed = false;
                for (String sessionId : due) {
                    if (this.logs.get(sessionId).readPage(this.store)) {
                        progressed = true;
                        this.moved.add(sessionId);
                    }
                }
                if (!progressed && this.moved.isEmpty()) {
                    if (written) {
                        return;
                    }
                    if (!acquire(this.wakeUps)) {
                        fail("No append was heard within " + WAIT);
                    }
                }
            }
        }

        void wake() {
            this.wakeUps.release();
        }

        @Override
        public void appended(String sessionId, long latest, List<EventRecord> events) {
            this.moved.add(sessionId);
            this.wakeUps.release();
        }

        @Override
        public void ephemeral(EphemeralEvent event) {
        }

        @Override
        public void closed(String sessionId, CloseReason reason) {
            this.moved.add(sessionId);
            this.wakeUps.release();
        }

    }

    /** A follower's view of one log: its cursor, the events seen and the batch it is inside of. */
    private static final class FollowedLog {

        private final String sessionId;

        private final List<EventRecord> seen = new ArrayList<>();

        private final Set<String> ids = new HashSet<>();

        private final Set<String> batchesSeen = new HashSet<>();

        private @Nullable String openBatch;

        private int nextMember;

        private int members;

        FollowedLog(String sessionId) {
            this.sessionId = sessionId;
        }

        private long cursor() {
            return this.seen.isEmpty() ? 0 : this.seen.get(this.seen.size() - 1).seq();
        }

        /** Reads and checks the next page; whether it held any event. */
        boolean readPage(SessionStore store) {
            long after = cursor();
            EventPage page = store.read(this.sessionId, EventQuery.after(after).withLimit(PAGE_LIMIT));
            assertThat(page.reset()).as("reset of %s after %s", this.sessionId, after).isFalse();
            for (EventRecord event : page.events()) {
                assertThat(event.seq()).as("seq after %s in %s", cursor(), this.sessionId).isEqualTo(cursor() + 1);
                assertThat(this.ids.add(event.id())).as("id %s seen twice in %s", event.id(), this.sessionId).isTrue();
                follow(event);
                this.seen.add(event);
            }
            assertThat(page.nextCursor()).as("nextCursor of %s after %s", this.sessionId, after).isEqualTo(cursor());
            if (page.events().size() < PAGE_LIMIT) {
                assertThat(this.openBatch)
                    .as("a page of %s that is not full ends at seq %s, inside batch %s (member %s of %s seen)",
                            this.sessionId, cursor(), this.openBatch, this.nextMember, this.members)
                    .isNull();
            }
            return !page.events().isEmpty();
        }

        private void follow(EventRecord event) {
            JsonNode data = MAPPER.readTree(event.data());
            String batch = data.has("b") ? data.get("b").asString() : null;
            boolean member = data.has("i");
            if (this.openBatch != null) {
                assertThat(batch).as("seq %s of %s inside batch %s", event.seq(), this.sessionId, this.openBatch)
                    .isEqualTo(this.openBatch);
            }
            else if (batch != null) {
                assertThat(member && data.get("i").asInt() == 0)
                    .as("seq %s of %s starts batch %s with its first member", event.seq(), this.sessionId, batch)
                    .isTrue();
                assertThat(this.batchesSeen.add(batch)).as("batch %s seen again in %s", batch, this.sessionId)
                    .isTrue();
                this.openBatch = batch;
                this.nextMember = 0;
                this.members = data.get("k").asInt();
            }
            if (batch != null && member) {
                assertThat(data.get("i").asInt()).as("member of batch %s at seq %s", batch, event.seq())
                    .isEqualTo(this.nextMember);
                this.nextMember++;
                if (this.nextMember == this.members) {
                    this.openBatch = null;
                }
            }
        }

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

}
