package io.mcpsession.tck;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.SweepResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Idle expiry (SPEC §3.8): an expired session is gone at once, swept later, and activity postpones expiry.
 */
public abstract class ExpiryContract extends ContractSupport {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    protected ExpiryContract(StoreFactory factory) {
        super(factory);
    }

    private SessionStore storeWithTimeout() {
        return newStore(StoreSettings.defaults().withTimeout(TIMEOUT));
    }

    /** The activities that count (SPI: appends, state writes, updates, touch). */
    public enum Activity {

        APPEND((store, id) -> store.append(id, NewEvent.of("message", "1"))),

        APPEND_ALL((store, id) -> store.appendAll(id, List.of(NewEvent.of("message", "1")))),

        PUT_STATE((store, id) -> store.putState(id, "k", "1")),

        UPDATE((store, id) -> store.update(id, new SessionPatch("{\"initialized\":true}"))),

        TOUCH(SessionStore::touch);

        private final BiConsumer<SessionStore, String> action;

        Activity(BiConsumer<SessionStore, String> action) {
            this.action = action;
        }

        void perform(SessionStore store, String sessionId) {
            this.action.accept(store, sessionId);
        }

    }

    @Test
    void sessionLivesUntilTimeout() {
        SessionStore store = storeWithTimeout();
        Session session = newSession(store);

        this.clock.advance(TIMEOUT.minusMillis(1));

        assertThat(store.find(session.id())).isPresent();
        assertThat(store.sweep().expiredSessions()).isZero();
        assertThat(store.find(session.id())).isPresent();
    }

    @Test
    void expiredSessionIsGoneForEveryOperationBeforeSweep() {
        SessionStore store = storeWithTimeout();
        Session session = newSession(store);
        String id = session.id();
        store.putState(id, "k", "1");
        appendMany(store, id, 3);
        this.clock.advance(TIMEOUT.plusSeconds(1));

        assertThat(store.find(id)).isEmpty();
        assertThat(store.list(null, 100).sessions()).isEmpty();
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.append(id, NewEvent.of("message", "4")));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.appendAll(id, List.of(NewEvent.of("message", "4"))));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.read(id, EventQuery.after(0)));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.position(id));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.deleteBefore(id, 2));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.getState(id, "k"));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.getAllState(id));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.putState(id, "k", "2"));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.removeState(id, "k"));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.update(id, new SessionPatch("{\"initialized\":true}")));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.touch(id));
        assertCode(ErrorCode.SESSION_NOT_FOUND,
                () -> store.publishEphemeral(id, new NewEvent(null, "tick", "1", null, null, true)));
        assertThat(store.delete(id)).isFalse();
        assertThat(store.find(id)).isEmpty();
    }

    @Test
    void sweepWritesSessionExpiredAndReportsIt() {
        SessionStore store = storeWithTimeout();
        Session expiring = newSession(store);
        this.clock.advance(TIMEOUT.minusMinutes(1));
        Session live = newSession(store);
        this.clock.advance(Duration.ofMinutes(2));

        SweepResult result = store.sweep();

        assertThat(result.expiredSessions()).isEqualTo(1);
        assertThat(store.sweep().expiredSessions()).isZero();
        assertThat(store.find(live.id())).isPresent();
        eventually().untilAsserted(() -> assertThat(types(feedOf(store, expiring.id())))
            .containsExactly(FeedEntryType.SESSION_CREATED, FeedEntryType.SESSION_EXPIRED));
        // A store may number feed entries after the write that made them (DynamoDB's sequencer does).
        eventually().untilAsserted(() -> assertThat(types(feedOf(store, live.id())))
            .containsExactly(FeedEntryType.SESSION_CREATED));
    }

    @ParameterizedTest
    @EnumSource(Activity.class)
    void activityPostponesExpiry(Activity activity) {
        SessionStore store = storeWithTimeout();
        Session session = newSession(store);
        Instant activeAt = this.clock.advance(TIMEOUT.minusMinutes(1)).truncatedTo(ChronoUnit.MILLIS);

        activity.perform(store, session.id());
        this.clock.advance(Duration.ofMinutes(2));

        Session found = store.find(session.id()).orElseThrow();
        assertThat(found.lastActivity()).isEqualTo(activeAt);
        assertThat(found.expiresAt()).isEqualTo(activeAt.plus(TIMEOUT));
        assertThat(store.sweep().expiredSessions()).isZero();
        assertThat(store.find(session.id())).isPresent();
        this.clock.advance(TIMEOUT);
        assertThat(store.find(session.id())).isEmpty();
    }

    @Test
    void newSessionMayTakeExpiredSessionsId() {
        SessionStore store = storeWithTimeout();
        newSession(store, "reused");
        store.putState("reused", "k", "1");
        appendMany(store, "reused", 3);
        String oldEpoch = store.position("reused").epoch();
        this.clock.advance(TIMEOUT.plusSeconds(1));

        Session fresh = newSession(store, "reused");

        assertThat(fresh.createdAt()).isEqualTo(this.clock.instant().truncatedTo(ChronoUnit.MILLIS));
        assertThat(store.find("reused")).contains(fresh);
        assertThat(store.getAllState("reused")).isEmpty();
        assertThat(store.position("reused").latest()).isZero();
        assertThat(store.position("reused").epoch()).isNotEqualTo(oldEpoch);
        store.sweep();
        assertThat(store.find("reused")).contains(fresh);
        assertThat(append(store, "reused", "1").seq()).isEqualTo(1);
    }

    @Test
    void newSessionMayTakeSweptSessionsId() {
        SessionStore store = storeWithTimeout();
        newSession(store, "swept");
        appendMany(store, "swept", 2);
        this.clock.advance(TIMEOUT.plusSeconds(1));
        store.sweep();

        Session fresh = newSession(store, "swept");

        assertThat(store.find("swept")).contains(fresh);
        assertThat(store.position("swept").latest()).isZero();
        eventually().untilAsserted(() -> assertThat(types(feedOf(store, "swept"))).containsExactly(
                FeedEntryType.SESSION_CREATED, FeedEntryType.EVENT_APPENDED, FeedEntryType.EVENT_APPENDED,
                FeedEntryType.SESSION_EXPIRED, FeedEntryType.SESSION_CREATED));
    }

}
