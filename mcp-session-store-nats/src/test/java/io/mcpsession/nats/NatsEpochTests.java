package io.mcpsession.nats;

import java.time.Clock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.ResetReason;
import io.mcpsession.core.Session;
import io.mcpsession.store.StoreSettings;
import io.nats.client.JetStreamManagement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * A stream or bucket deleted (and recreated) under a running reader is another history: the reader's next read resets with
 * reason {@code epoch}, never aliasing its old cursor onto new data.
 */
class NatsEpochTests {

    private final String prefix = NatsTestSupport.newPrefix();

    private final NatsSessionStore store = NatsTestSupport.newStore(NatsTestSupport.connection(), this.prefix,
            StoreSettings.defaults(), Clock.systemUTC());

    @AfterEach
    void deleteStore() {
        this.store.deleteEverything();
    }

    private JetStreamManagement management() throws Exception {
        return NatsTestSupport.connection().jetStreamManagement();
    }

    @Test
    void eventsStreamDeletedUnderAReaderResetsItWithReasonEpoch() throws Exception {
        Session session = this.store.create(NewSession.anonymous());
        for (int i = 1; i <= 3; i++) {
            this.store.append(session.id(), NewEvent.of("message", Integer.toString(i)));
        }
        EventPage before = this.store.read(session.id(), EventQuery.after(0));
        assertThat(before.latest()).isEqualTo(3);

        management().deleteStream(this.prefix + "_EVENTS");

        EventPage after = this.store.read(session.id(), EventQuery.after(before.nextCursor()).withEpoch(before.epoch()));
        assertThat(after.reset()).isTrue();
        assertThat(after.resetReason()).isEqualTo(ResetReason.EPOCH);
        assertThat(after.epoch()).isNotEqualTo(before.epoch());
        assertThat(after.latest()).isZero();
        // The new history starts at 1, and the old cursor never reads it as a continuation.
        assertThat(this.store.append(session.id(), NewEvent.of("message", "\"new\"")).event().seq()).isEqualTo(1);
        EventPage next = this.store.read(session.id(), EventQuery.after(3).withEpoch(before.epoch()));
        assertThat(next.reset()).isTrue();
        assertThat(next.events()).extracting((event) -> event.data()).containsExactly("\"new\"");
    }

    @Test
    void feedStreamDeletedUnderAReaderResetsItWithReasonEpoch() throws Exception {
        Session session = this.store.create(NewSession.anonymous());
        this.store.append(session.id(), NewEvent.of("message", "1"));
        await().until(() -> this.store.readFeed(FeedQuery.after(0)).latest() == 2);
        FeedPage before = this.store.readFeed(FeedQuery.after(0));

        management().deleteStream(this.prefix + "_FEED");

        FeedPage after = this.store.readFeed(FeedQuery.after(before.nextCursor()).withEpoch(before.epoch()));
        assertThat(after.reset()).isTrue();
        assertThat(after.resetReason()).isEqualTo(ResetReason.EPOCH);
        assertThat(after.epoch()).isNotEqualTo(before.epoch());
    }

    @Test
    void sessionsBucketDeletedUnderAReaderLosesTheSessionAndAnOldCursorNeverReadsItsSuccessor() throws Exception {
        this.store.create(NewSession.withId("kept"));
        this.store.append("kept", NewEvent.of("message", "1"));
        EventPage before = this.store.read("kept", EventQuery.after(0));

        management().deleteStream("KV_" + this.prefix + "_SESSIONS");

        assertThat(this.store.find("kept")).isEmpty();
        McpSessionException gone = catchThrowableOfType(McpSessionException.class,
                () -> this.store.read("kept", EventQuery.after(1).withEpoch(before.epoch())));
        assertThat(gone.code()).isEqualTo(ErrorCode.SESSION_NOT_FOUND);
        this.store.create(NewSession.withId("kept"));
        this.store.append("kept", NewEvent.of("message", "2"));
        EventPage after = this.store.read("kept", EventQuery.after(1).withEpoch(before.epoch()));
        assertThat(after.reset()).isTrue();
        assertThat(after.resetReason()).isEqualTo(ResetReason.EPOCH);
        assertThat(after.events()).extracting((event) -> event.data()).containsExactly("2");
    }

}
