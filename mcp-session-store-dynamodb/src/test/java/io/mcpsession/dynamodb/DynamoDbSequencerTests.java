package io.mcpsession.dynamodb;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.tck.FeedChecks;
import io.mcpsession.tck.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The feed's sequencer: a holder killed between publishing entries and moving its cursors is repaired by the
 * next holder, which numbers nothing twice; without a feed it still writes the claims that idempotency reads.
 */
class DynamoDbSequencerTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final IllegalStateException KILLED = new IllegalStateException("sequencer killed (by the test)");

    private final MutableClock clock = MutableClock.startingNow();

    private final String prefix = TestStores.newPrefix();

    private final ScriptedClient scripted = new ScriptedClient(TestStores.client());

    private DynamoDbSessionStore first;

    private DynamoDbSessionStore second;

    @AfterEach
    void stop() {
        this.scripted.script(new ScriptedClient.Script() {
        });
        if (this.second != null) {
            this.second.close();
        }
        if (this.first != null) {
            this.first.close();
        }
        new DynamoDbTables(this.prefix).drop(TestStores.client());
    }

    @Test
    void sequencerKilledAfterPublishingIsRepairedByTheNextHolder() {
        this.first = new DynamoDbSessionStore(this.scripted, StoreSettings.defaults(), this.prefix, this.clock,
                TestStores.POLL_INTERVAL, true);
        Session session = this.first.create(NewSession.anonymous());
        // The first instance, alone, numbers the creation: it holds the sequencer's lease.
        await().atMost(WAIT).until(() -> this.first.readFeed(FeedQuery.after(0)).latest() == 1);
        this.second = new DynamoDbSessionStore(TestStores.client(), StoreSettings.defaults(), this.prefix, this.clock,
                TestStores.POLL_INTERVAL, false);
        boolean[] dead = { false };
        this.scripted.script(new ScriptedClient.Script() {
            @Override
            public void before(Object request) {
                if (dead[0]) {
                    throw KILLED;
                }
            }

            @Override
            public void after(Object request) {
                if (request instanceof UpdateItemRequest update && update.updateExpression().startsWith("SET #latest")) {
                    dead[0] = true;
                    throw KILLED;
                }
            }
        });

        EventRecord early = this.second.append(session.id(), NewEvent.of("early", "message", "1")).event();
        // Published by the first instance, which died before moving the cursor or removing the mark.
        await().atMost(WAIT).until(() -> this.second.readFeed(FeedQuery.after(0)).latest() == 2);
        assertThat(dead[0]).isTrue();
        // Its lease lapses; the second takes it over and repairs the cursors from the checkpoint.
        this.clock.advance(Duration.ofMinutes(1));
        EventRecord late = this.second.append(session.id(), NewEvent.of("late", "message", "2")).event();

        Map<String, Map<Long, String>> expected = Map.of(session.id(), Map.of(early.seq(), "early", late.seq(), "late"));
        await().atMost(WAIT).until(() -> FeedChecks.holdsEvery(this.second, expected));
        assertThat(FeedChecks.appendedEventIds(FeedChecks.readWholeFeed(this.second))).isEqualTo(expected);
        assertThat(this.second.readFeed(FeedQuery.after(0)).latest()).isEqualTo(3);
    }

    @Test
    void withoutFeedClaimsAndCursorsStillMoveSoIdempotencyReadsLittle() {
        StoreSettings settings = StoreSettings.defaults().withFeed(false, 1000, Duration.ofHours(24));
        this.first = new DynamoDbSessionStore(TestStores.client(), settings, this.prefix, this.clock,
                TestStores.POLL_INTERVAL, true);
        Session session = this.first.create(NewSession.anonymous());
        EventRecord original = this.first.append(session.id(), NewEvent.of("x", "message", "1")).event();
        this.first.append(session.id(), NewEvent.of("message", "2"));
        String partition = SessionKeys.partition(session.id(), this.first.position(session.id()).epoch());

        await().atMost(WAIT).until(() -> this.first.feed().cursor(partition).through() == 2);

        assertThat(Items.number(this.first.requests()
            .get(this.first.tables().sessions, SessionKeys.claim(partition, "x")), "seq", 0)).isEqualTo(1);
        AppendResult again = this.first.append(session.id(), NewEvent.of("x", "message", "\"other\""));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.event()).isEqualTo(original);
        assertThat(this.first.readFeed(FeedQuery.after(0)).entries()).isEmpty();
    }

}
