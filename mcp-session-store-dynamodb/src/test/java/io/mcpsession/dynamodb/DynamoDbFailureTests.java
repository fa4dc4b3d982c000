package io.mcpsession.dynamodb;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.tck.FeedChecks;
import io.mcpsession.tck.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Failures between and during requests: a writer killed between its writes (its store's requests fail from a
 * given one on, as if the process died there) never leaves a half-written append, and its client's retry on
 * another instance returns the original; throttling and outages answer {@code STORE_UNAVAILABLE} after bounded
 * retries and lose nothing acknowledged.
 */
class DynamoDbFailureTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** What the killed writer's requests throw: not a DynamoDB failure, so nothing retries it. */
    private static final IllegalStateException KILLED = new IllegalStateException("writer killed (by the test)");

    private final MutableClock clock = MutableClock.startingNow();

    private final String prefix = TestStores.newPrefix();

    private final ScriptedClient scripted = new ScriptedClient(TestStores.client());

    /** The instance that survives: it created the tables and sequences the feed. */
    private DynamoDbSessionStore survivor;

    /** The instance whose requests the test scripts. */
    private DynamoDbSessionStore writer;

    @BeforeEach
    void start() {
        this.survivor = new DynamoDbSessionStore(TestStores.client(), StoreSettings.defaults(), this.prefix,
                this.clock, TestStores.POLL_INTERVAL, true);
        // Numbered while the survivor is the only instance: it holds the feed's lease, which a dead writer cannot.
        this.session = this.survivor.create(NewSession.anonymous());
        await().atMost(WAIT).until(() -> this.survivor.readFeed(FeedQuery.after(0)).latest() == 1);
        this.writer = new DynamoDbSessionStore(this.scripted, StoreSettings.defaults(), this.prefix, this.clock,
                TestStores.POLL_INTERVAL, false);
    }

    @AfterEach
    void stop() {
        this.scripted.script(new ScriptedClient.Script() {
        });
        this.writer.close();
        this.survivor.close();
        new DynamoDbTables(this.prefix).drop(TestStores.client());
    }

    /** A session created by the survivor before the writer started. */
    private Session session;

    private Session sessionSequencedBySurvivor() {
        return this.session;
    }

    private static boolean isLogPut(Object request) {
        return request instanceof PutItemRequest put && put.item().containsKey("events");
    }

    /** Kills the writer once its log put took effect: that put's answer and every later request are lost. */
    private void killAfterLogPut() {
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
                if (isLogPut(request)) {
                    dead[0] = true;
                    throw KILLED;
                }
            }
        });
    }

    @Test
    void writerKilledAfterItsLogPutLeavesTheWholeBatchAndItsRetryGetsTheOriginals() {
        Session session = sessionSequencedBySurvivor();
        List<NewEvent> batch = List.of(NewEvent.of("a", "message", "\"a\""), NewEvent.of("b", "message", "\"b\""),
                NewEvent.of("c", "message", "\"c\""));
        killAfterLogPut();

        assertThat(catchThrowable(() -> this.writer.appendAll(session.id(), batch))).isSameAs(KILLED);

        EventPage page = this.survivor.read(session.id(), EventQuery.after(0));
        assertThat(page.events()).extracting(EventRecord::seq, EventRecord::id)
            .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "a"), org.assertj.core.groups.Tuple.tuple(2L, "b"),
                    org.assertj.core.groups.Tuple.tuple(3L, "c"));
        List<AppendResult> retried = this.survivor.appendAll(session.id(), batch);
        assertThat(retried).allSatisfy((result) -> assertThat(result.duplicate()).isTrue());
        assertThat(retried).extracting(AppendResult::event).containsExactlyElementsOf(page.events());
        EventRecord next = this.survivor.append(session.id(), NewEvent.of("d", "message", "\"d\"")).event();
        assertThat(next.seq()).isEqualTo(4);
        // The dead writer never marked the session; the retry did, so the feed numbers every event once.
        Map<String, Map<Long, String>> expected = Map.of(session.id(), Map.of(1L, "a", 2L, "b", 3L, "c", 4L, "d"));
        await().atMost(WAIT).until(() -> FeedChecks.holdsEvery(this.survivor, expected));
        assertThat(FeedChecks.appendedEventIds(FeedChecks.readWholeFeed(this.survivor))).isEqualTo(expected);
    }

    @Test
    void writerKilledAfterItsLogPutOfOneEventIsRetriedIdempotently() {
        Session session = sessionSequencedBySurvivor();
        this.survivor.append(session.id(), NewEvent.of("message", "0"));
        killAfterLogPut();

        assertThat(catchThrowable(() -> this.writer.append(session.id(), NewEvent.of("once", "message", "1"))))
            .isSameAs(KILLED);

        AppendResult retried = this.survivor.append(session.id(), NewEvent.of("once", "message", "1"));
        assertThat(retried.duplicate()).isTrue();
        assertThat(retried.event().seq()).isEqualTo(2);
        assertThat(this.survivor.read(session.id(), EventQuery.after(0)).events()).extracting(EventRecord::id)
            .containsOnlyOnce("once")
            .hasSize(2);
    }

    @Test
    void writerKilledBeforeItsLogPutLeavesNothing() {
        Session session = sessionSequencedBySurvivor();
        this.scripted.script(new ScriptedClient.Script() {
            @Override
            public void before(Object request) {
                if (isLogPut(request)) {
                    throw KILLED;
                }
            }
        });

        assertThat(catchThrowable(() -> this.writer.append(session.id(), NewEvent.of("x", "message", "1"))))
            .isSameAs(KILLED);

        assertThat(this.survivor.read(session.id(), EventQuery.after(0)).events()).isEmpty();
        assertThat(this.survivor.position(session.id()).latest()).isZero();
        AppendResult retried = this.survivor.append(session.id(), NewEvent.of("x", "message", "1"));
        assertThat(retried.created()).isTrue();
        assertThat(retried.event().seq()).isEqualTo(1);
    }

    @Test
    void throttlingAnswersStoreUnavailableAfterBoundedRetriesAndLosesNothing() {
        Session session = this.writer.create(NewSession.anonymous());
        EventRecord acknowledged = this.writer.append(session.id(), NewEvent.of("kept", "message", "1")).event();
        java.util.concurrent.atomic.AtomicInteger headReads = new java.util.concurrent.atomic.AtomicInteger();
        this.scripted.script(new ScriptedClient.Script() {
            @Override
            public void before(Object request) {
                if (request instanceof software.amazon.awssdk.services.dynamodb.model.GetItemRequest get
                        && get.key().get(Items.PK).s().equals("s#" + session.id())) {
                    headReads.incrementAndGet();
                }
                throw ProvisionedThroughputExceededException.builder().message("Rate of requests exceeded").build();
            }
        });

        McpSessionException find = (McpSessionException) catchThrowable(() -> this.writer.find(session.id()));

        assertThat(find.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(find.getMessage()).doesNotContain("Provisioned", "Exception", "amazon");
        assertThat(headReads.get()).as("attempts of one read").isEqualTo(DynamoDbFailures.ATTEMPTS);
        assertUnavailable(() -> this.writer.append(session.id(), NewEvent.of("message", "2")));
        assertUnavailable(() -> this.writer.read(session.id(), EventQuery.after(0)));
        assertUnavailable(() -> this.writer.create(NewSession.anonymous()));
        this.scripted.script(new ScriptedClient.Script() {
        });
        assertThat(this.writer.read(session.id(), EventQuery.after(0)).events()).containsExactly(acknowledged);
        assertThat(this.writer.append(session.id(), NewEvent.of("message", "2")).event().seq()).isEqualTo(2);
    }

    @Test
    void outageAnswersStoreUnavailableAndTheStoreRecoversByItself() {
        Session session = this.writer.create(NewSession.anonymous());
        this.scripted.script(new ScriptedClient.Script() {
            @Override
            public void before(Object request) {
                throw SdkClientException.create("Unable to execute HTTP request: connection refused");
            }
        });

        assertUnavailable(() -> this.writer.append(session.id(), NewEvent.of("message", "1")));
        assertUnavailable(() -> this.writer.putState(session.id(), "k", "1"));

        this.scripted.script(new ScriptedClient.Script() {
        });
        assertThat(this.writer.append(session.id(), NewEvent.of("message", "1")).event().seq()).isEqualTo(1);
    }

    private static void assertUnavailable(Runnable call) {
        Throwable thrown = catchThrowable(call::run);
        assertThat(thrown).isInstanceOf(McpSessionException.class);
        assertThat(((McpSessionException) thrown).code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
    }

}
