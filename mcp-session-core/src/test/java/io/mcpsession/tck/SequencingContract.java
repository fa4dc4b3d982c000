package io.mcpsession.tck;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.Session;
import io.mcpsession.store.SessionStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sequencing of a session's log (SPEC §3.1, §2 event). Idempotency is in {@link IdempotencyContract}, batches in
 * {@link BatchContract}.
 */
public abstract class SequencingContract extends ContractSupport {

    protected SequencingContract(StoreFactory factory) {
        super(factory);
    }

    @Test
    void seqsStartAtOneAndAreContiguous() {
        SessionStore store = newStore();
        Session session = newSession(store);

        List<EventRecord> events = appendMany(store, session.id(), 5);

        assertThat(seqs(events)).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(seqs(readAll(store, session.id()).events())).containsExactly(1L, 2L, 3L, 4L, 5L);
        LogPosition position = store.position(session.id());
        assertThat(position.latest()).isEqualTo(5);
        assertThat(position.earliestRetained()).isEqualTo(1);
    }

    @Test
    void eachSessionHasItsOwnSeqs() {
        SessionStore store = newStore();
        Session first = newSession(store);
        Session second = newSession(store);

        appendMany(store, first.id(), 3);

        assertThat(append(store, second.id(), "1").seq()).isEqualTo(1);
        assertThat(append(store, first.id(), "4").seq()).isEqualTo(4);
    }

    @Test
    void appendFillsDefaults() {
        SessionStore store = newStore();
        Session session = newSession(store);
        Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);

        EventRecord event = append(store, session.id(), new NewEvent(null, null, "{\"a\":1}", null, null, false));

        assertThat(event.sessionId()).isEqualTo(session.id());
        assertThat(event.seq()).isEqualTo(1);
        assertThat(event.type()).isEqualTo("message");
        assertThat(event.runId()).isNull();
        assertSameJson(event.metadata(), "{}");
        assertThat(event.timestamp()).isEqualTo(now);
        assertThat(event.epoch()).isNotBlank().isEqualTo(store.position(session.id()).epoch());
        UUID id = UUID.fromString(event.id());
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.toString()).isEqualTo(event.id());
        assertThat(readAll(store, session.id()).events()).containsExactly(event);
    }

    @Test
    void appendKeepsCallerMembers() {
        SessionStore store = newStore();
        Session session = newSession(store);
        String metadata = "{\"z\":1,\"a\":{\"n\":1.10}}";

        EventRecord event = append(store, session.id(),
                new NewEvent("evt-1", "progress", "[1,2]", "run-7", metadata, false));

        assertThat(event.id()).isEqualTo("evt-1");
        assertThat(event.type()).isEqualTo("progress");
        assertThat(event.data()).isEqualTo("[1,2]");
        assertThat(event.runId()).isEqualTo("run-7");
        assertThat(event.metadata()).isEqualTo(metadata);
        assertThat(readAll(store, session.id()).events()).containsExactly(event);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"b\":1,\"a\":[1.10,12345678901234567890,\"\u00e9\\u00e9\"]}", "1.10", "1e5", "1E+5",
            "-0.0", "0.1000", "12345678901234567890123456789", "\"\\ud83d\\ude00\ud83d\ude00\"", "\"\u4e2d\u6587\"",
            "null", "true", "\"\"", "[]", "{}", "{\"z\":{\"y\":[{},{\"x\":null}]},\"a\":\"\\\"\\\\\\/\"}" })
    void dataRoundTripsVerbatim(String data) {
        SessionStore store = newStore();
        Session session = newSession(store);

        EventRecord event = append(store, session.id(), data);

        assertThat(event.data()).isEqualTo(data);
        assertThat(readAll(store, session.id()).events()).singleElement()
            .satisfies((read) -> assertThat(read.data()).isEqualTo(data));
    }

    @Test
    void eventTimestampsHaveMillisecondPrecision() {
        SessionStore store = newStore();
        Session session = newSession(store);

        EventRecord event = append(store, session.id(), "1");

        assertThat(event.timestamp().getNano() % 1_000_000).isZero();
        assertThat(readAll(store, session.id()).events().get(0).timestamp()).isEqualTo(event.timestamp());
    }

    @Test
    void appendToUnknownSessionFailsWithSessionNotFound() {
        SessionStore store = newStore();

        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.append("unknown", NewEvent.of("message", "1")));
    }

    @Test
    void concurrentAppendsGetContiguousSeqs() {
        SessionStore store = newStore();
        Session session = newSession(store);
        int threads = 16;
        int perThread = 50;

        List<List<Long>> seqsByThread = runConcurrently(threads, (thread) -> {
            List<Long> mine = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                String data = "{\"t\":" + thread + ",\"i\":" + i + "}";
                mine.add(store.append(session.id(), NewEvent.of("message", data)).event().seq());
            }
            return mine;
        });

        int total = threads * perThread;
        List<Long> all = new ArrayList<>();
        seqsByThread.forEach((mine) -> {
            assertThat(mine).as("one thread's seqs grow").isSorted().doesNotHaveDuplicates();
            all.addAll(mine);
        });
        assertThat(all).containsExactlyInAnyOrderElementsOf(range(1, total));
        EventPage page = readAll(store, session.id());
        assertThat(seqs(page.events())).containsExactlyElementsOf(range(1, total));
        assertThat(page.events()).extracting(EventRecord::data).doesNotHaveDuplicates();
        assertThat(page.latest()).isEqualTo(total);
    }

}
