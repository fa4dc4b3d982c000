package io.mcpsession.tck;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.store.SessionStore;

import static io.mcpsession.core.FeedEntryType.EVENT_APPENDED;
import static io.mcpsession.core.FeedEntryType.SESSION_CREATED;
import static io.mcpsession.core.FeedEntryType.SESSION_DELETED;
import static io.mcpsession.core.FeedEntryType.SESSION_UPDATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The global change feed: entry types, contents and filters (SPEC §4). Cursors, the gap contract, retention and
 * concurrency of the feed are in {@link FeedCursorContract}.
 */
public abstract class FeedContract extends ContractSupport {

    protected FeedContract(StoreFactory factory) {
        super(factory);
    }

    @Test
    void lifecycleWritesOneEntryPerChange() {
        SessionStore store = newStore();
        Session created = store.create(new NewSession(null, null, null, null, "{\"tenant\":\"acme\"}", null));
        Session updated = store.update(created.id(), new SessionPatch("{\"initialized\":true}"));
        EventRecord event = append(store, created.id(), "{\"x\":1}");
        store.delete(created.id());

        eventually().untilAsserted(() -> assertThat(types(feedOf(store, created.id())))
            .containsExactly(SESSION_CREATED, SESSION_UPDATED, EVENT_APPENDED, SESSION_DELETED));
        List<FeedEntry> entries = feedOf(store, created.id());
        assertThat(entries).extracting(FeedEntry::sessionId).containsOnly(created.id());
        assertThat(entries).extracting(FeedEntry::seq).isSorted().doesNotHaveDuplicates();
        assertThat(entries).extracting(FeedEntry::epoch).containsOnly(entries.get(0).epoch());
        assertThat(entries).allSatisfy((entry) -> assertThat(entry.timestamp().getNano() % 1_000_000).isZero());
        assertThat(entries.get(0).session()).isEqualTo(created);
        assertThat(entries.get(0).event()).isNull();
        assertThat(entries.get(1).session()).isEqualTo(updated);
        assertThat(entries.get(1).session().initialized()).isTrue();
        assertThat(entries.get(2).event()).isEqualTo(event);
        assertThat(entries.get(2).timestamp()).isEqualTo(event.timestamp());
        assertThat(entries.get(3).event()).isNull();
        assertThat(entries.get(3).session()).isNull();
    }

    @Test
    void sessionUpdatedIsWrittenOncePerUpdateAndForNothingElse() {
        SessionStore store = newStore();
        Session session = newSession(store);
        String id = session.id();
        store.update(id, new SessionPatch("{\"metadata\":{\"a\":1}}"));
        store.touch(id);
        store.putState(id, "k", "1");
        store.removeState(id, "k");
        store.read(id, EventQuery.after(0));
        store.update(id, new SessionPatch("{\"metadata\":{\"a\":2}}"));
        EventRecord marker = append(store, id, "\"marker\"");

        eventually().untilAsserted(() -> assertThat(feedOf(store, id))
            .anySatisfy((entry) -> assertThat(entry.event()).isEqualTo(marker)));
        List<FeedEntry> entries = feedOf(store, id);
        assertThat(types(entries)).containsExactly(SESSION_CREATED, SESSION_UPDATED, SESSION_UPDATED, EVENT_APPENDED);
        assertSameJson(entries.get(2).session().metadata(), "{\"a\":2}");
    }

    @Test
    void eventAppendedForEveryPersistedEventOfBatch() {
        SessionStore store = newStore();
        Session session = newSession(store);

        List<EventRecord> batch = store.appendAll(session.id(),
                List.of(NewEvent.of("a", "1"), NewEvent.of("b", "2"), NewEvent.of("c", "3")))
            .stream()
            .map((result) -> result.event())
            .toList();

        eventually().untilAsserted(() -> assertThat(readFeed(store, Set.of(EVENT_APPENDED), session.id()))
            .extracting(FeedEntry::event)
            .containsExactlyElementsOf(batch));
    }

    @Test
    void noEntryForDuplicatesOrEphemeralEvents() {
        SessionStore store = newStore();
        Session session = newSession(store);
        EventRecord first = append(store, session.id(), NewEvent.of("e1", "message", "1"));
        store.append(session.id(), NewEvent.of("e1", "message", "2"));
        store.appendAll(session.id(), List.of(NewEvent.of("e1", "message", "3")));
        store.publishEphemeral(session.id(), new NewEvent("tick", "progress", "4", null, null, true));
        EventRecord marker = append(store, session.id(), NewEvent.of("marker", "message", "5"));

        eventually().untilAsserted(() -> assertThat(feedOf(store, session.id()))
            .anySatisfy((entry) -> assertThat(entry.event()).isEqualTo(marker)));
        assertThat(readFeed(store, Set.of(EVENT_APPENDED), session.id())).extracting(FeedEntry::event)
            .containsExactly(first, marker);
    }

    @Test
    void typesFilterReturnsOnlyThoseTypes() {
        SessionStore store = newStore();
        Session kept = newSession(store);
        Session deleted = newSession(store);
        append(store, kept.id(), "1");
        store.delete(deleted.id());

        eventually().untilAsserted(() -> assertThat(types(readFeed(store, Set.of(), null)))
            .containsExactlyInAnyOrder(SESSION_CREATED, SESSION_CREATED, EVENT_APPENDED, SESSION_DELETED));
        assertThat(readFeed(store, Set.of(EVENT_APPENDED, SESSION_DELETED), null))
            .extracting(FeedEntry::type, FeedEntry::sessionId)
            .containsExactlyInAnyOrder(tuple(EVENT_APPENDED, kept.id()),
                    tuple(SESSION_DELETED, deleted.id()));
        assertThat(types(readFeed(store, Set.of(SESSION_CREATED), null))).containsExactly(SESSION_CREATED,
                SESSION_CREATED);
    }

    @Test
    void sessionIdFilterReturnsOnlyThatSession() {
        SessionStore store = newStore();
        Session first = newSession(store);
        Session second = newSession(store);
        append(store, first.id(), "1");
        append(store, second.id(), "2");
        append(store, first.id(), "3");

        eventually().untilAsserted(() -> assertThat(readFeed(store, Set.of(), null)).hasSize(5));
        assertThat(feedOf(store, first.id())).extracting(FeedEntry::sessionId).containsOnly(first.id()).hasSize(3);
        assertThat(feedOf(store, second.id())).extracting(FeedEntry::sessionId).containsOnly(second.id()).hasSize(2);
        assertThat(readFeed(store, Set.of(EVENT_APPENDED), second.id())).singleElement()
            .satisfies((entry) -> assertThat(entry.event().data()).isEqualTo("2"));
        assertThat(feedOf(store, "unknown")).isEmpty();
    }

    @Test
    void emptyFeedReportsPosition() {
        SessionStore store = newStore();

        FeedPage page = store.readFeed(FeedQuery.after(0));

        assertThat(page.entries()).isEmpty();
        assertThat(page.latest()).isZero();
        assertThat(page.earliestRetained()).isEqualTo(1);
        assertThat(page.nextCursor()).isZero();
        assertThat(page.reset()).isFalse();
        assertThat(page.epoch()).isNotBlank();
    }

    @Test
    void feedListenerIsTold() {
        SessionStore store = newStore();
        AtomicLong heard = new AtomicLong(Long.MIN_VALUE);
        AtomicLong calls = new AtomicLong();
        store.subscribeFeed((latest) -> {
            heard.accumulateAndGet(latest, Math::max);
            calls.incrementAndGet();
        });

        Session session = newSession(store);
        append(store, session.id(), "1");

        eventually().untilAsserted(() -> assertThat(heard.get()).as("latest heard (-1: moved)").isIn(-1L, 2L));
        assertThat(calls.get()).isPositive();
        // "Moved" may come with the first entry; the second may be numbered a little later.
        eventually().untilAsserted(() -> assertThat(store.readFeed(FeedQuery.after(0)).latest()).isEqualTo(2));
    }

}
