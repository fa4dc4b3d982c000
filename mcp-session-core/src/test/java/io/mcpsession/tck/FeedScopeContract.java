package io.mcpsession.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.PrincipalScope;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

import static io.mcpsession.core.FeedEntryType.EVENT_APPENDED;
import static io.mcpsession.core.FeedEntryType.SESSION_CREATED;
import static io.mcpsession.core.FeedEntryType.SESSION_DELETED;
import static io.mcpsession.core.FeedEntryType.SESSION_EXPIRED;
import static io.mcpsession.core.FeedEntryType.SESSION_UPDATED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Principal scope of the feed (SPEC §8): every entry, also of a session deleted or expired since, belongs to its
 * session's principal; a scoped read returns only that principal's entries, and its {@code nextCursor} still
 * moves past the entries it skipped, so a scoped reader's cursor stays gap-free.
 */
public abstract class FeedScopeContract extends ContractSupport {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    protected FeedScopeContract(StoreFactory factory) {
        super(factory);
    }

    @Test
    void everyEntryBelongsToItsSessionsPrincipal() {
        SessionStore store = newStore();
        Session alice = store.create(owned("alice"));
        Session bob = store.create(owned("bob"));
        Session anonymous = store.create(NewSession.anonymous());
        for (Session session : List.of(alice, bob, anonymous)) {
            store.update(session.id(), new SessionPatch("{\"initialized\":true}"));
            append(store, session.id(), "1");
            store.delete(session.id());
        }
        eventually().untilAsserted(() -> assertThat(readScoped(store, PrincipalScope.ALL)).hasSize(12));

        List<FeedEntry> ofAlice = readScoped(store, PrincipalScope.of("alice"));
        assertThat(types(ofAlice)).containsExactly(SESSION_CREATED, SESSION_UPDATED, EVENT_APPENDED, SESSION_DELETED);
        assertThat(ofAlice).extracting(FeedEntry::sessionId).containsOnly(alice.id());
        assertThat(ofAlice).extracting(FeedEntry::principal).containsOnly("alice");
        assertThat(readScoped(store, PrincipalScope.of("bob"))).extracting(FeedEntry::sessionId)
            .containsExactly(bob.id(), bob.id(), bob.id(), bob.id());
        assertThat(readScoped(store, PrincipalScope.of(null))).extracting(FeedEntry::sessionId)
            .containsExactly(anonymous.id(), anonymous.id(), anonymous.id(), anonymous.id());
        assertThat(readScoped(store, PrincipalScope.of("carol"))).isEmpty();
    }

    @Test
    void scopeCombinesWithTheOtherFilters() {
        SessionStore store = newStore();
        Session alice = store.create(owned("alice"));
        Session bob = store.create(owned("bob"));
        append(store, alice.id(), "1");
        append(store, bob.id(), "2");
        eventually().untilAsserted(() -> assertThat(readScoped(store, PrincipalScope.ALL)).hasSize(4));

        FeedPage events = store.readFeed(new FeedQuery(0, null, Set.of(EVENT_APPENDED), null, 100,
                PrincipalScope.of("alice")));
        assertThat(events.entries()).extracting(FeedEntry::sessionId).containsExactly(alice.id());
        FeedPage othersSession = store.readFeed(new FeedQuery(0, null, Set.of(), bob.id(), 100,
                PrincipalScope.of("alice")));
        assertThat(othersSession.entries()).isEmpty();
        assertThat(othersSession.nextCursor()).isEqualTo(othersSession.latest());
    }

    @Test
    void expiredEntriesBelongToTheExpiredSessionsPrincipal() {
        SessionStore store = newStore(StoreSettings.defaults().withTimeout(TIMEOUT));
        Session alice = store.create(owned("alice"));
        this.clock.advance(TIMEOUT.plusMinutes(1));
        assertThat(store.sweep().expiredSessions()).isEqualTo(1);

        eventually().untilAsserted(() -> assertThat(types(readScoped(store, PrincipalScope.of("alice"))))
            .containsExactly(SESSION_CREATED, SESSION_EXPIRED));
        assertThat(readScoped(store, PrincipalScope.of("bob"))).isEmpty();
        assertThat(readScoped(store, PrincipalScope.of("alice"))).extracting(FeedEntry::sessionId)
            .containsOnly(alice.id());
    }

    @Test
    void scopedPagesMovePastSkippedEntries() {
        SessionStore store = newStore();
        Session alice = store.create(owned("alice"));
        Session bob = store.create(owned("bob"));
        appendMany(store, bob.id(), 30);
        EventRecord first = append(store, alice.id(), "1");
        appendMany(store, bob.id(), 30);
        EventRecord second = append(store, alice.id(), "2");
        appendMany(store, bob.id(), 30);
        eventually().untilAsserted(() -> assertThat(store.readFeed(FeedQuery.after(0)).latest()).isEqualTo(94));
        PrincipalScope scope = PrincipalScope.of("alice");

        // A full page stops at its last entry; the next continues right after it.
        FeedPage full = store.readFeed(new FeedQuery(0, null, Set.of(), null, 2, scope));
        assertThat(full.entries()).extracting(FeedEntry::type).containsExactly(SESSION_CREATED, EVENT_APPENDED);
        assertThat(full.entries().get(1).event()).isEqualTo(first);
        assertThat(full.nextCursor()).isEqualTo(full.entries().get(1).seq());

        // A page that is not full examined everything up to latest: the cursor moves past bob's entries.
        FeedPage rest = store.readFeed(new FeedQuery(full.nextCursor(), null, Set.of(), null, 100, scope));
        assertThat(rest.entries()).extracting(FeedEntry::event).containsExactly(second);
        assertThat(rest.nextCursor()).isEqualTo(rest.latest()).isEqualTo(94);
        FeedPage none = store.readFeed(new FeedQuery(rest.nextCursor(), null, Set.of(), null, 100, scope));
        assertThat(none.entries()).isEmpty();
        assertThat(none.nextCursor()).isEqualTo(94);

        // Only others' entries since: the reader's cursor still advances, and nothing of its own is skipped.
        appendMany(store, bob.id(), 5);
        EventRecord third = append(store, alice.id(), "3");
        eventually().untilAsserted(() -> assertThat(store.readFeed(FeedQuery.after(0)).latest()).isEqualTo(100));
        FeedPage later = store.readFeed(new FeedQuery(none.nextCursor(), null, Set.of(), null, 100, scope));
        assertThat(later.entries()).extracting(FeedEntry::event).containsExactly(third);
        assertThat(later.nextCursor()).isEqualTo(100);
    }

    private static NewSession owned(String principal) {
        return new NewSession(null, null, null, null, null, principal);
    }

    /** Every retained entry {@code scope} shows, paging with {@code nextCursor}. */
    private static List<FeedEntry> readScoped(SessionStore store, PrincipalScope scope) {
        List<FeedEntry> entries = new ArrayList<>();
        long after = 0;
        while (true) {
            FeedPage page = store.readFeed(new FeedQuery(after, null, Set.of(), null, 1000, scope));
            entries.addAll(page.entries());
            if (page.nextCursor() <= after || page.nextCursor() >= page.latest()) {
                return entries;
            }
            after = page.nextCursor();
        }
    }

}
