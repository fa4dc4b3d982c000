package io.mcpsession.tck;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.Session;
import io.mcpsession.store.SessionStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads: filters, limits, {@code latest}, {@code earliestRetained} and {@code nextCursor} (SPEC §3.4). The gap
 * contract and retention are in {@link RetentionContract}.
 */
public abstract class ReadsContract extends ContractSupport {

    protected ReadsContract(StoreFactory factory) {
        super(factory);
    }

    /** A session with ten events: odd seqs of type {@code a} in run {@code r1}, even seqs of type {@code b}. */
    private String sessionWithTenEvents(SessionStore store) {
        Session session = newSession(store);
        for (int i = 1; i <= 10; i++) {
            boolean odd = i % 2 == 1;
            append(store, session.id(),
                    new NewEvent(null, odd ? "a" : "b", Integer.toString(i), odd ? "r1" : null, null, false));
        }
        return session.id();
    }

    private static void assertPage(EventPage page, List<Long> seqs, long nextCursor) {
        assertThat(seqs(page.events())).containsExactlyElementsOf(seqs);
        assertThat(page.nextCursor()).as("nextCursor").isEqualTo(nextCursor);
        assertThat(page.reset()).isFalse();
        assertThat(page.resetReason()).isNull();
    }

    @Test
    void readOfEmptyLogReportsPosition() {
        SessionStore store = newStore();
        Session session = newSession(store);

        EventPage page = store.read(session.id(), EventQuery.after(0));

        assertPage(page, List.of(), 0);
        assertThat(page.sessionId()).isEqualTo(session.id());
        assertThat(page.latest()).isZero();
        assertThat(page.earliestRetained()).isEqualTo(1);
        assertThat(page.epoch()).isNotBlank();
    }

    @Test
    void readReturnsEventsAfterCursorOldestFirst() {
        SessionStore store = newStore();
        String id = sessionWithTenEvents(store);

        EventPage page = store.read(id, EventQuery.after(7));

        assertPage(page, List.of(8L, 9L, 10L), 10);
        assertThat(page.latest()).isEqualTo(10);
        assertThat(page.earliestRetained()).isEqualTo(1);
        assertThat(page.events()).extracting(EventRecord::data).containsExactly("8", "9", "10");
    }

    @Test
    void fullPageMovesCursorToLastReturnedEvent() {
        SessionStore store = newStore();
        String id = sessionWithTenEvents(store);

        EventPage first = store.read(id, EventQuery.after(0).withLimit(3));
        EventPage second = store.read(id, EventQuery.after(first.nextCursor()).withLimit(3));

        assertPage(first, List.of(1L, 2L, 3L), 3);
        assertPage(second, List.of(4L, 5L, 6L), 6);
    }

    @Test
    void pagingWithNextCursorVisitsEveryEventOnce() {
        SessionStore store = newStore();
        String id = sessionWithTenEvents(store);
        List<Long> seen = new ArrayList<>();
        long cursor = 0;
        for (int i = 0; i < 10 && cursor < 10; i++) {
            EventPage page = store.read(id, EventQuery.after(cursor).withLimit(4));
            seen.addAll(seqs(page.events()));
            cursor = page.nextCursor();
        }

        assertThat(seen).containsExactlyElementsOf(range(1, 10));
        assertThat(cursor).isEqualTo(10);
    }

    @Test
    void beforeBoundsReadAndCursor() {
        SessionStore store = newStore();
        String id = sessionWithTenEvents(store);

        assertPage(store.read(id, EventQuery.after(0).withBefore(5L)), List.of(1L, 2L, 3L, 4L), 4);
        assertPage(store.read(id, EventQuery.after(2).withBefore(5L).withLimit(2)), List.of(3L, 4L), 4);
        assertPage(store.read(id, EventQuery.after(0).withBefore(50L)), range(1, 10), 10);
    }

    @Test
    void beforeAtOrBelowCursorReturnsNothingAndKeepsCursor() {
        SessionStore store = newStore();
        String id = sessionWithTenEvents(store);

        assertPage(store.read(id, EventQuery.after(6).withBefore(4L)), List.of(), 6);
        assertPage(store.read(id, EventQuery.after(6).withBefore(7L)), List.of(), 6);
    }

    @Test
    void typeFilterReturnsOnlyThatType() {
        SessionStore store = newStore();
        String id = sessionWithTenEvents(store);

        assertPage(store.read(id, EventQuery.after(0).withType("b")), List.of(2L, 4L, 6L, 8L, 10L), 10);
        assertPage(store.read(id, EventQuery.after(0).withType("a").withLimit(2)), List.of(1L, 3L), 3);
    }

    @Test
    void runIdFilterReturnsOnlyThatRun() {
        SessionStore store = newStore();
        String id = sessionWithTenEvents(store);

        assertPage(store.read(id, EventQuery.after(4).withRunId("r1")), List.of(5L, 7L, 9L), 10);
        assertPage(store.read(id, EventQuery.after(0).withRunId("r1").withType("b")), List.of(), 10);
    }

    @Test
    void filterMatchingNothingMovesCursorToLatest() {
        SessionStore store = newStore();
        String id = sessionWithTenEvents(store);

        EventPage page = store.read(id, EventQuery.after(3).withType("nothing"));

        assertPage(page, List.of(), 10);
        assertThat(page.latest()).isEqualTo(10);
    }

    @Test
    void sinceReturnsEventsAtOrAfterInstant() {
        SessionStore store = newStore();
        Session session = newSession(store);
        appendMany(store, session.id(), 2);
        this.clock.advance(Duration.ofSeconds(1));
        Instant later = append(store, session.id(), "3").timestamp();
        this.clock.advance(Duration.ofSeconds(1));
        append(store, session.id(), "4");

        assertPage(store.read(session.id(), EventQuery.after(0).withSince(later)), List.of(3L, 4L), 4);
        assertPage(store.read(session.id(), EventQuery.after(0).withSince(later.plusMillis(1))), List.of(4L), 4);
        assertPage(store.read(session.id(), EventQuery.after(0).withSince(later.plusSeconds(5))), List.of(), 4);
    }

    @Test
    void defaultLimitIsOneHundred() {
        SessionStore store = newStore();
        Session session = newSession(store);
        List<NewEvent> batch = new ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            batch.add(NewEvent.of("message", Integer.toString(i)));
        }
        store.appendAll(session.id(), batch);

        EventPage page = store.read(session.id(), EventQuery.after(0));

        assertPage(page, range(1, 100), 100);
        assertThat(store.read(session.id(), EventQuery.after(0).withLimit(1000)).events()).hasSize(150);
    }

    @Test
    void limitOutOfRangeFailsWithInvalidRequest() {
        assertCode(ErrorCode.INVALID_REQUEST, () -> EventQuery.after(0).withLimit(0));
        assertCode(ErrorCode.INVALID_REQUEST, () -> EventQuery.after(0).withLimit(1001));
        assertCode(ErrorCode.INVALID_REQUEST, () -> EventQuery.after(0).withLimit(-1));
        assertThat(EventQuery.after(0).withLimit(1000).limit()).isEqualTo(1000);
    }

    @Test
    void afterAboveLatestReturnsNothingWithoutReset() {
        SessionStore store = newStore();
        String id = sessionWithTenEvents(store);

        EventPage page = store.read(id, EventQuery.after(50));

        assertPage(page, List.of(), 50);
        assertThat(page.latest()).isEqualTo(10);
    }

    @Test
    void positionMatchesRead() {
        SessionStore store = newStore();
        String id = sessionWithTenEvents(store);

        LogPosition position = store.position(id);
        EventPage page = store.read(id, EventQuery.after(0));

        assertThat(position).isEqualTo(page.position());
        assertThat(position).isEqualTo(new LogPosition(10, 1, page.epoch()));
    }

    @Test
    void readAndPositionOfUnknownSessionFailWithSessionNotFound() {
        SessionStore store = newStore();

        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.read("unknown", EventQuery.after(0)));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.position("unknown"));
    }

}
