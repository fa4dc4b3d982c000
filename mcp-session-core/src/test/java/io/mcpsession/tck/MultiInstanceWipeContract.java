package io.mcpsession.tck;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.ResetReason;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.Subscription;

import static io.mcpsession.tck.ContractSupport.WAIT;
import static io.mcpsession.tck.ContractSupport.appendMany;
import static io.mcpsession.tck.ContractSupport.assertCode;
import static io.mcpsession.tck.ContractSupport.eventually;
import static io.mcpsession.tck.ContractSupport.readFeed;
import static io.mcpsession.tck.ContractSupport.seqs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage emptied under running instances (an operator truncating the tables, flushing the keys): the
 * instances notice no message, yet a cursor of the old history is an {@code epoch} reset, never aliased onto new
 * events, and they keep working (SPEC §2 "Epoch", §3.5, §4).
 */
public abstract class MultiInstanceWipeContract extends MultiInstanceSupport {

    protected MultiInstanceWipeContract(SharedStoreFactory factory) {
        super(factory);
    }

    @Test
    void anOldSessionCursorAfterAWipeIsAnEpochResetOnEveryInstance() {
        List<SessionStore> stores = instances(2);
        SessionStore a = stores.get(0);
        SessionStore b = stores.get(1);
        a.create(NewSession.withId("wiped"));
        a.appendAll("wiped", List.of(NewEvent.of("old-1", "message", "1"), NewEvent.of("old-2", "message", "2"),
                NewEvent.of("old-3", "message", "3")));
        String oldEpoch = b.position("wiped").epoch();

        storage().wipe();

        assertThat(a.find("wiped")).isEmpty();
        assertThat(b.find("wiped")).isEmpty();
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> b.append("wiped", NewEvent.of("lost", "message", "4")));
        b.create(NewSession.withId("wiped"));
        EventRecord first = a.append("wiped", NewEvent.of("new-1", "message", "1")).event();
        EventRecord second = b.append("wiped", NewEvent.of("new-2", "message", "2")).event();
        assertThat(first.seq()).isEqualTo(1);
        assertThat(second.seq()).isEqualTo(2);
        assertThat(first.epoch()).isNotEqualTo(oldEpoch);
        for (SessionStore store : stores) {
            EventPage page = store.read("wiped", EventQuery.after(3).withEpoch(oldEpoch));
            assertThat(page.epoch()).isEqualTo(first.epoch());
            assertThat(page.reset()).isTrue();
            assertThat(page.resetReason()).isEqualTo(ResetReason.EPOCH);
            assertThat(page.events()).containsExactly(first, second);
        }
    }

    @Test
    void anOldFeedCursorAfterAWipeIsAnEpochResetOnEveryInstance() throws InterruptedException {
        List<SessionStore> stores = instances(2);
        SessionStore a = stores.get(0);
        SessionStore b = stores.get(1);
        a.create(NewSession.withId("before"));
        appendMany(b, "before", 5);
        eventually().until(() -> b.readFeed(FeedQuery.after(0)).latest() == 6);
        String oldEpoch = a.readFeed(FeedQuery.after(0)).epoch();
        CountDownLatch heardOnA = new CountDownLatch(1);
        CountDownLatch heardOnB = new CountDownLatch(1);

        storage().wipe();
        // Feed listeners hear the new history, although its seqs are below the old ones.
        try (Subscription onA = a.subscribeFeed(feedReached(a, 3, heardOnA));
                Subscription onB = b.subscribeFeed(feedReached(b, 3, heardOnB))) {
            b.create(NewSession.withId("after"));
            a.append("after", NewEvent.of("message", "1"));
            b.append("after", NewEvent.of("message", "2"));
            assertThat(heardOnA.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("heard on A").isTrue();
            assertThat(heardOnB.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("heard on B").isTrue();
        }

        for (SessionStore store : stores) {
            eventually().untilAsserted(() -> assertThat(readFeed(store, Set.of(), null)).extracting(FeedEntry::type)
                .containsExactly(FeedEntryType.SESSION_CREATED, FeedEntryType.EVENT_APPENDED,
                        FeedEntryType.EVENT_APPENDED));
            FeedPage page = store.readFeed(FeedQuery.after(6).withEpoch(oldEpoch));
            assertThat(page.epoch()).isNotEqualTo(oldEpoch);
            assertThat(page.reset()).isTrue();
            assertThat(page.resetReason()).isEqualTo(ResetReason.EPOCH);
            assertThat(page.entries()).extracting(FeedEntry::seq).containsExactly(1L, 2L, 3L);
            assertThat(page.entries()).extracting(FeedEntry::sessionId).containsOnly("after");
        }
        assertThat(a.readFeed(FeedQuery.after(0)).epoch()).isEqualTo(b.readFeed(FeedQuery.after(0)).epoch());
    }

    @Test
    void listenersOfAWipedSessionHearThatItEnded() {
        List<SessionStore> stores = instances(2);
        stores.get(0).create(NewSession.withId("listened"));
        RecordingSessionListener onA = new RecordingSessionListener();
        RecordingSessionListener onB = new RecordingSessionListener();
        stores.get(0).subscribe("listened", onA);
        stores.get(1).subscribe("listened", onB);

        storage().wipe();

        eventually().untilAsserted(() -> {
            assertThat(onA.closed).containsExactly(CloseReason.DELETED);
            assertThat(onB.closed).containsExactly(CloseReason.DELETED);
        });
    }

    @Test
    void instancesKeepCreatingAppendingAndSweepingAfterAWipe() {
        List<SessionStore> stores = instances(2, StoreSettings.defaults().withTimeout(Duration.ofMinutes(1)));
        SessionStore a = stores.get(0);
        SessionStore b = stores.get(1);
        a.create(NewSession.withId("gone"));
        a.sweep();
        b.sweep();

        storage().wipe();
        a.create(NewSession.withId("lapsing"));
        b.create(NewSession.withId("kept"));
        assertThat(seqs(b.appendAll("kept", List.of(NewEvent.of("message", "1"), NewEvent.of("message", "2")))
            .stream()
            .map((result) -> result.event())
            .toList())).containsExactly(1L, 2L);
        this.clock.advance(Duration.ofSeconds(40));
        a.touch("kept");
        this.clock.advance(Duration.ofSeconds(40));

        assertThat(a.sweep().expiredSessions() + b.sweep().expiredSessions()).isOne();
        assertThat(b.find("lapsing")).isEmpty();
        assertThat(a.find("kept")).isPresent();
        eventually().untilAsserted(() -> assertThat(readFeed(b, Set.of(FeedEntryType.SESSION_EXPIRED), null))
            .extracting(FeedEntry::sessionId)
            .containsExactly("lapsing"));
    }

}
