package io.mcpsession.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionPage;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listing sessions: ordered by {@code createdAt}, then {@code id}, paged with {@code nextCursor} (SPEC §6).
 */
public abstract class SessionListContract extends ContractSupport {

    protected SessionListContract(StoreFactory factory) {
        super(factory);
    }

    /** Creates e, d, (y and x at the same instant), a: listed as e, d, x, y, a. */
    private SessionStore storeWithFiveSessions() {
        SessionStore store = newStore();
        newSession(store, "e");
        this.clock.advance(Duration.ofMillis(1));
        newSession(store, "d");
        this.clock.advance(Duration.ofMillis(1));
        newSession(store, "y");
        newSession(store, "x");
        this.clock.advance(Duration.ofMillis(1));
        newSession(store, "a");
        return store;
    }

    private static List<String> ids(SessionPage page) {
        return page.sessions().stream().map(Session::id).toList();
    }

    @Test
    void listIsOrderedByCreatedAtThenId() {
        SessionStore store = storeWithFiveSessions();

        SessionPage page = store.list(null, 100);

        assertThat(ids(page)).containsExactly("e", "d", "x", "y", "a");
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void listPagesWithNextCursorAndEndsWithNull() {
        SessionStore store = storeWithFiveSessions();

        SessionPage first = store.list(null, 2);
        assertThat(ids(first)).containsExactly("e", "d");
        assertThat(first.nextCursor()).isEqualTo("d");

        SessionPage second = store.list(first.nextCursor(), 2);
        assertThat(ids(second)).containsExactly("x", "y");
        assertThat(second.nextCursor()).isEqualTo("y");

        SessionPage last = store.list(second.nextCursor(), 2);
        assertThat(ids(last)).containsExactly("a");
        assertThat(last.nextCursor()).isNull();
    }

    @Test
    void fullLastPageHasNullNextCursor() {
        SessionStore store = newStore();
        for (String id : List.of("s1", "s2", "s3", "s4")) {
            newSession(store, id);
            this.clock.advance(Duration.ofMillis(1));
        }

        SessionPage first = store.list(null, 2);
        SessionPage second = store.list(first.nextCursor(), 2);

        assertThat(ids(first)).containsExactly("s1", "s2");
        assertThat(ids(second)).containsExactly("s3", "s4");
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    void generatedIdsAreListedInCreationOrder() {
        SessionStore store = newStore();
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(newSession(store).id());
            this.clock.advance(Duration.ofMillis(1));
        }

        List<String> listed = new ArrayList<>();
        String after = null;
        do {
            SessionPage page = store.list(after, 2);
            listed.addAll(ids(page));
            after = page.nextCursor();
        }
        while (after != null);

        assertThat(listed).containsExactlyElementsOf(created);
    }

    @Test
    void emptyStoreListsNothing() {
        SessionStore store = newStore();

        SessionPage page = store.list(null, 10);

        assertThat(page.sessions()).isEmpty();
        assertThat(page.nextCursor()).isNull();
    }

    @Test
    void listLeavesOutDeletedAndExpiredSessions() {
        SessionStore store = newStore(StoreSettings.defaults().withTimeout(Duration.ofMinutes(10)));
        newSession(store, "old");
        this.clock.advance(Duration.ofMinutes(6));
        newSession(store, "deleted");
        newSession(store, "live");
        store.delete("deleted");
        this.clock.advance(Duration.ofMinutes(5));

        assertThat(ids(store.list(null, 100))).containsExactly("live");
    }

    @Test
    void listWithLimitOutOfRangeFailsWithInvalidRequest() {
        SessionStore store = newStore();
        newSession(store);

        assertCode(ErrorCode.INVALID_REQUEST, () -> store.list(null, 0));
        assertCode(ErrorCode.INVALID_REQUEST, () -> store.list(null, 1001));
        assertThat(store.list(null, 1000).sessions()).hasSize(1);
    }

    @Test
    void cursorNamingRemovedSessionStillPlacesNextPage() {
        SessionStore store = storeWithFiveSessions();
        SessionPage first = store.list(null, 2);

        store.delete("d");

        SessionPage second = store.list(first.nextCursor(), 2);
        assertThat(ids(second)).containsExactly("x", "y");
    }

    @Test
    void cursorNamingNoSessionFailsWithInvalidCursor() {
        SessionStore store = storeWithFiveSessions();

        assertCode(ErrorCode.INVALID_CURSOR, () -> store.list("never-existed", 10));
    }

    @Test
    void listOfOneOwnerShowsOnlyTheirSessions() {
        SessionStore store = newStore();
        store.create(new NewSession("a1", null, null, null, null, "alice"));
        this.clock.advance(Duration.ofMillis(1));
        store.create(new NewSession("b1", null, null, null, null, "bob"));
        this.clock.advance(Duration.ofMillis(1));
        newSession(store, "anon1");
        this.clock.advance(Duration.ofMillis(1));
        store.create(new NewSession("a2", null, null, null, null, "alice"));

        assertThat(ids(store.list(null, 100, "alice"))).containsExactly("a1", "a2");
        assertThat(ids(store.list(null, 100, "bob"))).containsExactly("b1");
        assertThat(ids(store.list(null, 100, null))).containsExactly("anon1");
        assertThat(ids(store.list(null, 100))).containsExactly("a1", "b1", "anon1", "a2");
    }

    @Test
    void ownersPagesNeverNameAnotherOwnersSession() {
        SessionStore store = newStore();
        for (int i = 1; i <= 3; i++) {
            store.create(new NewSession("a" + i, null, null, null, null, "alice"));
            store.create(new NewSession("b" + i, null, null, null, null, "bob"));
            this.clock.advance(Duration.ofMillis(1));
        }

        SessionPage first = store.list(null, 2, "alice");
        SessionPage second = store.list(first.nextCursor(), 2, "alice");

        assertThat(ids(first)).containsExactly("a1", "a2");
        assertThat(first.nextCursor()).isEqualTo("a2");
        assertThat(ids(second)).containsExactly("a3");
        assertThat(second.nextCursor()).isNull();
        assertCode(ErrorCode.INVALID_CURSOR, () -> store.list("b1", 2, "alice"));
    }

}
