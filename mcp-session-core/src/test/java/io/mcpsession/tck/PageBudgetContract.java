package io.mcpsession.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionPage;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.core.StatePage;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte budgets and bounds of SPEC §8: every page stops at {@code max-page-bytes} as well as at {@code limit} and
 * says where to continue (its first item always goes); session capabilities and metadata are bounded like event
 * data; a session holds at most {@code max-state-keys} keys.
 */
public abstract class PageBudgetContract extends ContractSupport {

    /** Pages of at most 1000 bytes: three items of 302 bytes fit, a fourth does not. */
    private static final long BUDGET = 1000;

    protected PageBudgetContract(StoreFactory factory) {
        super(factory);
    }

    @Test
    void eventPagesStopAtTheByteBudgetAndSayWhereToContinue() {
        SessionStore store = newStore(StoreSettings.defaults().withMaxPageBytes(BUDGET));
        Session session = newSession(store);
        for (int i = 0; i < 5; i++) {
            // 300 bytes of data and 2 of metadata ({}).
            append(store, session.id(), jsonString(300));
        }

        EventPage first = store.read(session.id(), EventQuery.after(0));
        assertThat(seqs(first.events())).containsExactly(1L, 2L, 3L);
        assertThat(first.nextCursor()).isEqualTo(3);
        assertThat(first.latest()).isEqualTo(5);
        EventPage second = store.read(session.id(), EventQuery.after(first.nextCursor()));
        assertThat(seqs(second.events())).containsExactly(4L, 5L);
        assertThat(second.nextCursor()).isEqualTo(5);
        // The limit still stops a page first where it is smaller.
        EventPage limited = store.read(session.id(), EventQuery.after(0).withLimit(2));
        assertThat(seqs(limited.events())).containsExactly(1L, 2L);
        assertThat(limited.nextCursor()).isEqualTo(2);
    }

    @Test
    void anEventLargerThanTheBudgetComesAloneOnItsPage() {
        SessionStore store = newStore(StoreSettings.defaults().withMaxPageBytes(BUDGET));
        Session session = newSession(store);
        append(store, session.id(), jsonString(1500));
        append(store, session.id(), "1");

        EventPage first = store.read(session.id(), EventQuery.after(0));
        assertThat(seqs(first.events())).containsExactly(1L);
        assertThat(first.events().get(0).data()).hasSize(1500);
        assertThat(first.nextCursor()).isEqualTo(1);
        EventPage second = store.read(session.id(), EventQuery.after(1));
        assertThat(seqs(second.events())).containsExactly(2L);
    }

    @Test
    void filteredEventPagesStopAtTheByteBudgetToo() {
        SessionStore store = newStore(StoreSettings.defaults().withMaxPageBytes(BUDGET));
        Session session = newSession(store);
        for (int i = 0; i < 6; i++) {
            append(store, session.id(), new NewEvent(null, (i % 2 == 0) ? "big" : "other", jsonString(400), null,
                    null, false));
        }

        EventPage first = store.read(session.id(), EventQuery.after(0).withType("big"));
        assertThat(seqs(first.events())).containsExactly(1L, 3L);
        assertThat(first.nextCursor()).isEqualTo(3);
        EventPage second = store.read(session.id(), EventQuery.after(3).withType("big"));
        assertThat(seqs(second.events())).containsExactly(5L);
    }

    @Test
    void feedPagesStopAtTheByteBudgetAndChainWithoutLoss() {
        SessionStore store = newStore(StoreSettings.defaults().withMaxPageBytes(BUDGET));
        Session session = newSession(store);
        for (int i = 0; i < 5; i++) {
            append(store, session.id(), jsonString(300));
        }
        eventually().until(() -> feedOf(store, session.id()).size() == 6);

        List<FeedEntry> paged = new ArrayList<>();
        int pages = 0;
        long after = 0;
        while (true) {
            FeedPage page = store.readFeed(new FeedQuery(after, null, Set.of(), session.id(), 100));
            if (page.entries().isEmpty()) {
                break;
            }
            pages++;
            // Every measure of an entry counts at least its event's 302 bytes: no more than three fit.
            assertThat(page.entries().stream().filter((entry) -> entry.event() != null)).hasSizeLessThanOrEqualTo(3);
            paged.addAll(page.entries());
            assertThat(page.nextCursor()).isGreaterThan(after);
            after = page.nextCursor();
        }
        assertThat(pages).as("the budget cut the feed into pages").isGreaterThan(1);
        assertThat(types(paged)).containsExactly(FeedEntryType.SESSION_CREATED, FeedEntryType.EVENT_APPENDED,
                FeedEntryType.EVENT_APPENDED, FeedEntryType.EVENT_APPENDED, FeedEntryType.EVENT_APPENDED,
                FeedEntryType.EVENT_APPENDED);
        assertThat(paged.stream().filter((entry) -> entry.event() != null).map((entry) -> entry.event().seq()))
            .containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void sessionPagesStopAtTheByteBudget() {
        SessionStore store = newStore(StoreSettings.defaults().withMaxPageBytes(BUDGET));
        String owner = "budget-" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // {"m":"…"} of 302 bytes.
            String metadata = "{\"m\":" + jsonString(296) + "}";
            ids.add(store.create(new NewSession(null, null, null, null, metadata, owner)).id());
        }

        SessionPage first = store.list(null, 100, owner);
        assertThat(first.sessions()).hasSize(3);
        assertThat(first.nextCursor()).isEqualTo(first.sessions().get(2).id());
        SessionPage second = store.list(first.nextCursor(), 100, owner);
        assertThat(second.sessions()).hasSize(2);
        assertThat(second.nextCursor()).isNull();
        List<String> listed = new ArrayList<>();
        first.sessions().forEach((session) -> listed.add(session.id()));
        second.sessions().forEach((session) -> listed.add(session.id()));
        assertThat(listed).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void statePagesStopAtTheLimitAndTheByteBudget() {
        SessionStore store = newStore(StoreSettings.defaults().withMaxPageBytes(BUDGET));
        Session session = newSession(store);
        for (int i = 1; i <= 5; i++) {
            store.putState(session.id(), "k" + i, jsonString(302));
        }

        StatePage first = store.readState(session.id(), null, 100);
        assertThat(first.values()).containsOnlyKeys("k1", "k2", "k3");
        assertThat(first.values().get("k1")).isEqualTo(jsonString(302));
        assertThat(first.nextCursor()).isEqualTo("k3");
        StatePage second = store.readState(session.id(), first.nextCursor(), 100);
        assertThat(second.values().keySet()).containsExactly("k4", "k5");
        assertThat(second.nextCursor()).isNull();
        StatePage limited = store.readState(session.id(), null, 2);
        assertThat(limited.values().keySet()).containsExactly("k1", "k2");
        assertThat(limited.nextCursor()).isEqualTo("k2");
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.readState("no-such-session", null, 10));
    }

    @Test
    void aSessionHoldsAtMostMaxStateKeys() {
        SessionStore store = newStore(StoreSettings.defaults().withMaxStateKeys(3));
        Session session = newSession(store);
        store.putState(session.id(), "a", "1");
        store.putState(session.id(), "b", "2");
        store.putState(session.id(), "c", "3");

        assertCode(ErrorCode.MAX_STATE_KEYS_REACHED, () -> store.putState(session.id(), "d", "4"));
        assertThat(store.getAllState(session.id())).containsOnlyKeys("a", "b", "c");
        // An existing key may still change, and a removed one makes room.
        store.putState(session.id(), "a", "10");
        assertThat(store.removeState(session.id(), "b")).isTrue();
        store.putState(session.id(), "d", "4");
        assertThat(store.getAllState(session.id())).isEqualTo(Map.of("a", "10", "c", "3", "d", "4"));
    }

    @Test
    void sessionCapabilitiesAndMetadataAreBoundedLikeEventData() {
        SessionStore store = newStore(StoreSettings.defaults().withMaxEventBytes(100));
        String capabilities = "{\"c\":" + jsonString(50) + "}";
        String metadata = "{\"m\":" + jsonString(50) + "}";

        assertCode(ErrorCode.PAYLOAD_TOO_LARGE,
                () -> store.create(new NewSession("too-large", capabilities, null, null, metadata, null)));
        assertThat(store.find("too-large")).isEmpty();
        Session session = store.create(new NewSession(null, capabilities, null, null, null, null));
        assertCode(ErrorCode.PAYLOAD_TOO_LARGE,
                () -> store.update(session.id(), new SessionPatch("{\"metadata\":" + metadata + "}")));
        assertThat(store.find(session.id()).orElseThrow().metadata()).isEqualTo("{}");
        assertThat(store.update(session.id(), new SessionPatch("{\"metadata\":{\"m\":1}}")).metadata())
            .isEqualTo("{\"m\":1}");
    }

    /** A JSON string of exactly {@code bytes} bytes, quotes included. */
    private static String jsonString(int bytes) {
        return "\"" + "x".repeat(bytes - 2) + "\"";
    }

}
