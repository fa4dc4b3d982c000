package io.mcpsession.tck;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.ResetReason;
import io.mcpsession.core.Session;
import io.mcpsession.store.OverflowPolicy;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.SweepResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gap contract (SPEC §3.5), retention (§3.7) and {@code deleteBefore}.
 */
public abstract class RetentionContract extends ContractSupport {

    protected RetentionContract(StoreFactory factory) {
        super(factory);
    }

    private static StoreSettings maxEvents(int max, OverflowPolicy overflow) {
        return StoreSettings.defaults().withEvents(max, Duration.ofHours(2), overflow);
    }

    private static void assertReset(EventPage page, ResetReason reason, List<Long> seqs) {
        assertThat(page.reset()).as("reset").isTrue();
        assertThat(page.resetReason()).isEqualTo(reason);
        assertThat(seqs(page.events())).containsExactlyElementsOf(seqs);
    }

    @Test
    void cursorBelowWindowAfterDeleteBeforeIsReset() {
        SessionStore store = newStore();
        Session session = newSession(store);
        appendMany(store, session.id(), 10);

        store.deleteBefore(session.id(), 4);

        EventPage page = store.read(session.id(), EventQuery.after(0));
        assertReset(page, ResetReason.RETENTION, range(4, 10));
        assertThat(page.earliestRetained()).isEqualTo(4);
        assertThat(page.latest()).isEqualTo(10);
        assertThat(page.nextCursor()).isEqualTo(10);
        assertReset(store.read(session.id(), EventQuery.after(2)), ResetReason.RETENTION, range(4, 10));
        EventPage limited = store.read(session.id(), EventQuery.after(1).withLimit(2));
        assertReset(limited, ResetReason.RETENTION, List.of(4L, 5L));
        assertThat(limited.nextCursor()).isEqualTo(5);
    }

    @Test
    void cursorJustBelowWindowIsNotReset() {
        SessionStore store = newStore();
        Session session = newSession(store);
        appendMany(store, session.id(), 10);
        store.deleteBefore(session.id(), 4);

        EventPage page = store.read(session.id(), EventQuery.after(3));

        assertThat(page.reset()).isFalse();
        assertThat(page.resetReason()).isNull();
        assertThat(seqs(page.events())).containsExactlyElementsOf(range(4, 10));
    }

    @Test
    void deleteBeforeBeyondLatestEmptiesLogButKeepsSeqs() {
        SessionStore store = newStore();
        Session session = newSession(store);
        appendMany(store, session.id(), 5);

        store.deleteBefore(session.id(), 100);

        assertThat(store.position(session.id())).extracting(LogPosition::latest, LogPosition::earliestRetained)
            .containsExactly(5L, 6L);
        EventPage page = store.read(session.id(), EventQuery.after(5));
        assertThat(page.events()).isEmpty();
        assertThat(page.reset()).isFalse();
        assertThat(append(store, session.id(), "6").seq()).isEqualTo(6);
    }

    @Test
    void deleteBeforeRejectsBadInput() {
        SessionStore store = newStore();
        Session session = newSession(store);
        appendMany(store, session.id(), 2);

        assertCode(ErrorCode.INVALID_REQUEST, () -> store.deleteBefore(session.id(), 0));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.deleteBefore("unknown", 1));
        assertThat(store.position(session.id()).earliestRetained()).isEqualTo(1);
    }

    @Test
    void foreignEpochIsReset() {
        SessionStore store = newStore();
        Session session = newSession(store);
        appendMany(store, session.id(), 5);
        store.deleteBefore(session.id(), 3);

        EventPage page = store.read(session.id(), EventQuery.after(4).withEpoch("other"));

        assertReset(page, ResetReason.EPOCH, range(3, 5));
        assertThat(page.epoch()).isNotEqualTo("other");
    }

    @Test
    void currentEpochIsNotReset() {
        SessionStore store = newStore();
        Session session = newSession(store);
        appendMany(store, session.id(), 5);
        String epoch = store.position(session.id()).epoch();

        EventPage page = store.read(session.id(), EventQuery.after(2).withEpoch(epoch));

        assertThat(page.reset()).isFalse();
        assertThat(seqs(page.events())).containsExactly(3L, 4L, 5L);
    }

    @Test
    void recreatedSessionHasNewEpochAndOldCursorsAreReset() {
        SessionStore store = newStore();
        newSession(store, "again");
        appendMany(store, "again", 5);
        String oldEpoch = store.position("again").epoch();
        store.delete("again");
        newSession(store, "again");
        appendMany(store, "again", 2);

        EventPage page = store.read("again", EventQuery.after(5).withEpoch(oldEpoch));

        assertThat(page.epoch()).isNotEqualTo(oldEpoch);
        assertReset(page, ResetReason.EPOCH, List.of(1L, 2L));
        assertThat(page.latest()).isEqualTo(2);
    }

    @Test
    void evictOldestAdvancesEarliestRetained() {
        SessionStore store = newStore(maxEvents(5, OverflowPolicy.EVICT_OLDEST));
        Session session = newSession(store);
        appendMany(store, session.id(), 8);

        store.sweep();

        assertThat(store.position(session.id())).extracting(LogPosition::latest, LogPosition::earliestRetained)
            .containsExactly(8L, 4L);
        assertReset(store.read(session.id(), EventQuery.after(1)), ResetReason.RETENTION, range(4, 8));
        EventPage current = store.read(session.id(), EventQuery.after(3));
        assertThat(current.reset()).isFalse();
        assertThat(seqs(current.events())).containsExactlyElementsOf(range(4, 8));
    }

    @Test
    void gapContractHoldsBeforeSweep() {
        SessionStore store = newStore(maxEvents(5, OverflowPolicy.EVICT_OLDEST));
        Session session = newSession(store);
        appendMany(store, session.id(), 12);

        EventPage page = store.read(session.id(), EventQuery.after(0));

        assertThat(page.latest()).isEqualTo(12);
        assertThat(page.earliestRetained()).isBetween(1L, 8L);
        assertThat(page.reset()).isEqualTo(page.earliestRetained() > 1);
        assertThat(seqs(page.events())).containsExactlyElementsOf(range(page.earliestRetained(), 12));
    }

    @Test
    void rejectRefusesAppendAndLosesNothing() {
        SessionStore store = newStore(maxEvents(3, OverflowPolicy.REJECT));
        Session session = newSession(store);
        appendMany(store, session.id(), 3);

        assertCode(ErrorCode.MAX_EVENTS_REACHED, () -> store.append(session.id(), NewEvent.of("message", "4")));
        store.sweep();

        EventPage page = readAll(store, session.id());
        assertThat(seqs(page.events())).containsExactly(1L, 2L, 3L);
        assertThat(page.latest()).isEqualTo(3);
        store.deleteBefore(session.id(), 2);
        assertThat(append(store, session.id(), "4").seq()).isEqualTo(4);
    }

    @Test
    void ttlEvictsOldEventsOnSweep() {
        StoreSettings settings = StoreSettings.defaults().withTimeout(Duration.ofHours(1))
            .withEvents(100, Duration.ofMinutes(10), OverflowPolicy.EVICT_OLDEST);
        SessionStore store = newStore(settings);
        Session session = newSession(store);
        appendMany(store, session.id(), 2);
        this.clock.advance(Duration.ofMinutes(6));
        appendMany(store, session.id(), 2);
        this.clock.advance(Duration.ofMinutes(6));

        SweepResult result = store.sweep();

        assertThat(result.evictedEvents()).isEqualTo(2);
        assertThat(store.position(session.id())).extracting(LogPosition::latest, LogPosition::earliestRetained)
            .containsExactly(4L, 3L);
        assertReset(store.read(session.id(), EventQuery.after(0)), ResetReason.RETENTION, List.of(3L, 4L));
    }

    @Test
    void logWithEveryEventEvictedReportsLatestPlusOne() {
        StoreSettings settings = StoreSettings.defaults().withTimeout(Duration.ofHours(1))
            .withEvents(100, Duration.ofMinutes(10), OverflowPolicy.EVICT_OLDEST);
        SessionStore store = newStore(settings);
        Session session = newSession(store);
        appendMany(store, session.id(), 3);
        this.clock.advance(Duration.ofMinutes(11));

        store.sweep();

        EventPage page = store.read(session.id(), EventQuery.after(0));
        assertThat(page.latest()).isEqualTo(3);
        assertThat(page.earliestRetained()).isEqualTo(4);
        assertReset(page, ResetReason.RETENTION, List.of());
        assertThat(page.nextCursor()).isEqualTo(3);
    }

}
