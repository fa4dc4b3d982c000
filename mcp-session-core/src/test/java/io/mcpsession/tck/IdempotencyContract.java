package io.mcpsession.tck;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.Session;
import io.mcpsession.store.OverflowPolicy;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idempotent appends by event id (SPEC §3.2).
 */
public abstract class IdempotencyContract extends ContractSupport {

    protected IdempotencyContract(StoreFactory factory) {
        super(factory);
    }

    @Test
    void duplicateIdReturnsOriginal() {
        SessionStore store = newStore();
        Session session = newSession(store);
        EventRecord original = append(store, session.id(), NewEvent.of("evt-1", "message", "{\"v\":1}"));
        append(store, session.id(), "2");
        this.clock.advance(Duration.ofSeconds(1));

        AppendResult again = store.append(session.id(), NewEvent.of("evt-1", "other", "{\"v\":2}"));

        assertThat(again.duplicate()).isTrue();
        assertThat(again.created()).isFalse();
        assertThat(again.event()).isEqualTo(original);
        EventPage page = readAll(store, session.id());
        assertThat(page.latest()).isEqualTo(2);
        assertThat(page.events()).hasSize(2).first().isEqualTo(original);
    }

    @Test
    void duplicateWritesNoFeedEntry() {
        SessionStore store = newStore();
        Session session = newSession(store);
        append(store, session.id(), NewEvent.of("evt-1", "message", "1"));
        store.append(session.id(), NewEvent.of("evt-1", "message", "1"));
        EventRecord marker = append(store, session.id(), NewEvent.of("marker", "message", "2"));

        eventually().untilAsserted(() -> assertThat(feedOf(store, session.id()))
            .anySatisfy((entry) -> assertThat(entry.event()).isEqualTo(marker)));

        List<FeedEntry> appended = readFeed(store, Set.of(FeedEntryType.EVENT_APPENDED), session.id());
        assertThat(appended).extracting((entry) -> entry.event().id()).containsExactly("evt-1", "marker");
    }

    @Test
    void racingDuplicatesStoreOneEvent() {
        SessionStore store = newStore();
        Session session = newSession(store);
        append(store, session.id(), "0");

        List<AppendResult> results = runConcurrently(8,
                (thread) -> store.append(session.id(), NewEvent.of("racy", "message", "{\"t\":" + thread + "}")));

        assertThat(results).filteredOn(AppendResult::created).hasSize(1);
        EventRecord winner = results.stream().filter(AppendResult::created).findFirst().orElseThrow().event();
        assertThat(results).allSatisfy((result) -> assertThat(result.event()).isEqualTo(winner));
        assertThat(winner.seq()).isEqualTo(2);
        EventPage page = readAll(store, session.id());
        assertThat(page.latest()).isEqualTo(2);
        assertThat(page.events()).extracting(EventRecord::id).containsOnlyOnce("racy");
    }

    @Test
    void racingDuplicatesManyTimesOverStoreEachIdOnce() {
        SessionStore store = newStore();
        Session session = newSession(store);
        int ids = 30;

        runConcurrently(8, (thread) -> {
            for (int i = 0; i < ids; i++) {
                store.append(session.id(), NewEvent.of("id-" + i, "message", "{\"t\":" + thread + "}"));
            }
            return null;
        });

        EventPage page = readAll(store, session.id());
        assertThat(seqs(page.events())).containsExactlyElementsOf(range(1, ids));
        assertThat(page.events()).extracting(EventRecord::id).doesNotHaveDuplicates().hasSize(ids);
    }

    @Test
    void sameIdInTwoSessionsIsTwoEvents() {
        SessionStore store = newStore();
        Session first = newSession(store);
        Session second = newSession(store);

        AppendResult one = store.append(first.id(), NewEvent.of("shared", "message", "1"));
        AppendResult two = store.append(second.id(), NewEvent.of("shared", "message", "2"));

        assertThat(one.created()).isTrue();
        assertThat(two.created()).isTrue();
        assertThat(two.event().sessionId()).isEqualTo(second.id());
        assertThat(two.event().data()).isEqualTo("2");
        assertThat(readAll(store, first.id()).events()).extracting(EventRecord::data).containsExactly("1");
    }

    @Test
    void idAppendsAgainAfterDeleteBefore() {
        SessionStore store = newStore();
        Session session = newSession(store);
        append(store, session.id(), NewEvent.of("evt-1", "message", "1"));
        append(store, session.id(), "2");
        store.deleteBefore(session.id(), 2);

        AppendResult again = store.append(session.id(), NewEvent.of("evt-1", "message", "3"));

        assertThat(again.created()).isTrue();
        assertThat(again.event().seq()).isEqualTo(3);
        assertThat(again.event().data()).isEqualTo("3");
    }

    @Test
    void idAppendsAgainAfterEviction() {
        SessionStore store = newStore(
                StoreSettings.defaults().withEvents(2, Duration.ofHours(2), OverflowPolicy.EVICT_OLDEST));
        Session session = newSession(store);
        append(store, session.id(), NewEvent.of("evt-1", "message", "1"));
        appendMany(store, session.id(), 2);
        store.sweep();
        assertThat(store.position(session.id()).earliestRetained()).isEqualTo(2);

        AppendResult again = store.append(session.id(), NewEvent.of("evt-1", "message", "4"));

        assertThat(again.created()).isTrue();
        assertThat(again.event().seq()).isEqualTo(4);
    }

    @Test
    void duplicateIsReturnedEvenWhenRejectingLogIsFull() {
        SessionStore store = newStore(StoreSettings.defaults().withEvents(2, Duration.ofHours(2), OverflowPolicy.REJECT));
        Session session = newSession(store);
        EventRecord original = append(store, session.id(), NewEvent.of("evt-1", "message", "1"));
        append(store, session.id(), "2");

        AppendResult again = store.append(session.id(), NewEvent.of("evt-1", "message", "1"));

        assertThat(again.duplicate()).isTrue();
        assertThat(again.event()).isEqualTo(original);
        assertCode(ErrorCode.MAX_EVENTS_REACHED, () -> store.append(session.id(), NewEvent.of("evt-3", "message", "3")));
    }

}
