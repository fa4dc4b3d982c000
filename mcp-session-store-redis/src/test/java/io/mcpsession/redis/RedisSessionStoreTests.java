package io.mcpsession.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.RecordId;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.StringRedisTemplate;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.ResetReason;
import io.mcpsession.core.Timestamps;
import io.mcpsession.store.OverflowPolicy;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.tck.MutableClock;
import io.mcpsession.tck.RecordingSessionListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * What the Redis store does beyond the contract kit: ids with braces, new epochs once its keys vanish, the
 * feed's recovery of entries whose announcement was lost, wake-ups between instances and an unreachable Redis.
 */
class RedisSessionStoreTests {

    /** How long the feed's numbering or a wake-up may take to show: generous for a loaded machine. */
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final MutableClock clock = MutableClock.startingNow();

    private final String prefix = RedisTestServer.newKeyPrefix();

    private final List<AutoCloseable> closeables = new ArrayList<>();

    private RedisSessionStore newStore(StoreSettings settings) {
        RedisSessionStore store = new RedisSessionStore(RedisTestServer.connectionFactory(), settings, this.prefix,
                this.clock);
        this.closeables.add(store);
        return store;
    }

    @AfterEach
    void closeAndDeleteKeys() throws Exception {
        for (AutoCloseable closeable : this.closeables) {
            closeable.close();
        }
        RedisTestServer.deleteKeys(this.prefix);
    }

    private long feedLatest(RedisSessionStore store) {
        return store.readFeed(FeedQuery.after(0)).latest();
    }

    @ParameterizedTest
    @ValueSource(strings = { "a{b}c", "{x}", "}{", "{}", "{{}}" })
    void idsWithBracesWorkThroughout(String id) {
        RedisSessionStore store = newStore(StoreSettings.defaults());
        RedisSessionStore other = newStore(StoreSettings.defaults());
        String twin = "t" + id.replace("{", "").replace("}", "");
        store.create(NewSession.withId(id));
        store.create(NewSession.withId(twin));

        store.putState(id, "k", "1");
        store.append(id, NewEvent.of("e1", "message", "\"x\""));

        assertThat(other.find(id)).isPresent();
        assertThat(other.getState(id, "k")).contains("1");
        assertThat(other.read(id, EventQuery.after(0)).events()).singleElement()
            .satisfies((event) -> assertThat(event.data()).isEqualTo("\"x\""));
        assertThat(other.getAllState(twin)).isEmpty();
        assertThat(other.position(twin).latest()).isZero();
        assertThat(store.delete(id)).isTrue();
        assertThat(other.find(id)).isEmpty();
        assertThat(other.find(twin)).isPresent();
    }

    @Test
    void sessionWhoseKeysVanishedIsGoneAndComesBackWithNewEpoch() {
        RedisSessionStore store = newStore(StoreSettings.defaults());
        store.create(NewSession.withId("flushed"));
        store.appendAll("flushed", List.of(NewEvent.of("message", "1"), NewEvent.of("message", "2")));
        String oldEpoch = store.position("flushed").epoch();

        RedisTestServer.deleteKeys(this.prefix);

        assertThat(store.find("flushed")).isEmpty();
        store.create(NewSession.withId("flushed"));
        store.append("flushed", NewEvent.of("message", "\"new\""));
        EventPage page = store.read("flushed", EventQuery.after(2).withEpoch(oldEpoch));
        assertThat(page.epoch()).isNotEqualTo(oldEpoch);
        assertThat(page.reset()).isTrue();
        assertThat(page.resetReason()).isEqualTo(ResetReason.EPOCH);
        assertThat(page.events()).singleElement().satisfies((event) -> assertThat(event.seq()).isEqualTo(1));
    }

    @Test
    void feedWhoseKeysVanishedStartsNewEpoch() {
        RedisSessionStore store = newStore(StoreSettings.defaults());
        store.create(NewSession.withId("before"));
        await().atMost(WAIT).until(() -> feedLatest(store) == 1);
        String oldEpoch = store.readFeed(FeedQuery.after(0)).epoch();

        RedisTestServer.deleteKeys(this.prefix);
        store.create(NewSession.withId("after"));

        await().atMost(WAIT).until(() -> feedLatest(store) == 1);
        FeedPage page = store.readFeed(FeedQuery.after(1).withEpoch(oldEpoch));
        assertThat(page.epoch()).isNotEqualTo(oldEpoch);
        assertThat(page.reset()).isTrue();
        assertThat(page.resetReason()).isEqualTo(ResetReason.EPOCH);
        assertThat(page.entries()).extracting(FeedEntry::sessionId).containsExactly("after");
    }

    /**
     * An instance that numbers the feed inline beside one that queues for the sequencer (a rolling upgrade): both
     * number into the one feed, every entry once, each session's in its order.
     */
    @Test
    void instancesNumberingInlineAndQueuingShareOneFeed() throws Exception {
        StoreSettings settings = StoreSettings.defaults();
        RedisSessionStore inline = new RedisSessionStore(RedisTestServer.connectionFactory(), settings, this.prefix,
                this.clock, PositionCheck.DEFAULT_INTERVAL, true);
        RedisSessionStore queuing = new RedisSessionStore(RedisTestServer.connectionFactory(), settings, this.prefix,
                this.clock, PositionCheck.DEFAULT_INTERVAL, false);
        this.closeables.add(inline);
        this.closeables.add(queuing);
        inline.create(NewSession.withId("s"));
        for (int i = 1; i <= 10; i++) {
            ((i % 2 == 0) ? inline : queuing).append("s", NewEvent.of("message", Integer.toString(i)));
        }

        await().atMost(WAIT).until(() -> feedLatest(inline) == 11);
        assertThat(queuing.readFeed(FeedQuery.after(0)).entries())
            .filteredOn((entry) -> entry.type() == FeedEntryType.EVENT_APPENDED)
            .extracting((entry) -> entry.event().data())
            .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
    }

    @Test
    void entryWhoseAnnouncementWasLostIsNumberedOnceTheSweeperVisits() {
        StoreSettings settings = StoreSettings.defaults().withTimeout(Duration.ofHours(1))
            .withEvents(100, Duration.ofMinutes(10), OverflowPolicy.EVICT_OLDEST);
        RedisSessionStore store = newStore(settings);
        store.create(NewSession.withId("orphan"));
        await().atMost(WAIT).until(() -> feedLatest(store) == 1);
        // An instance that stopped right after its append committed: the entry is queued, never announced.
        SessionScripts crashed = new SessionScripts(new StoreConnection(RedisTestServer.connectionFactory()),
                new RedisKeys(this.prefix), settings, "crashed", false);
        crashed.run(RedisScripts.APPEND, "orphan", this.clock.instant(), "100", "0", "lost-announcement", "message",
                "1", "", "{}", Long.toString(this.clock.millis()));
        this.clock.advance(Duration.ofMinutes(11));

        store.sweep();

        await().atMost(WAIT).until(() -> feedLatest(store) == 2);
        assertThat(store.readFeed(FeedQuery.after(1)).entries()).singleElement().satisfies((entry) -> {
            assertThat(entry.type()).isEqualTo(FeedEntryType.EVENT_APPENDED);
            assertThat(entry.event().id()).isEqualTo("lost-announcement");
        });
    }

    @Test
    void listenersOfAnotherInstanceHearAppendsEphemeralEventsAndCloses() {
        RedisSessionStore first = newStore(StoreSettings.defaults());
        RedisSessionStore second = newStore(StoreSettings.defaults());
        first.create(NewSession.withId("shared"));
        RecordingSessionListener listener = new RecordingSessionListener();
        second.subscribe("shared", listener);
        AtomicFeed feed = new AtomicFeed();
        second.subscribeFeed(feed::heard);

        first.append("shared", NewEvent.of("message", "1"));
        first.publishEphemeral("shared", new NewEvent("tick", "progress", "50", null, null, true));
        first.delete("shared");

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(listener.latest.get()).isEqualTo(1);
            assertThat(listener.ephemerals).singleElement()
                .satisfies((event) -> assertThat(event.data()).isEqualTo("50"));
            assertThat(listener.closed).containsExactly(CloseReason.DELETED);
            assertThat(feed.latest).isEqualTo(3);
        });
    }

    @Test
    void unreachableRedisIsStoreUnavailableWithoutInternals() {
        // Port 1 of the loopback interface: nothing listens there.
        LettuceConnectionFactory unreachable = new LettuceConnectionFactory(
                new RedisStandaloneConfiguration("127.0.0.1", 1));
        unreachable.afterPropertiesSet();
        unreachable.start();
        this.closeables.add(unreachable::destroy);
        RedisSessionStore down = new RedisSessionStore(unreachable, StoreSettings.defaults(), this.prefix, this.clock);
        this.closeables.add(0, down);

        McpSessionException failure = catchThrowableOfType(McpSessionException.class,
                () -> down.create(NewSession.anonymous()));

        assertThat(failure.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE);
        assertThat(failure.getMessage()).isEqualTo("The session store is unavailable");
    }

    @Test
    void eventsStoredBeforeAppendTimesAreSweptByTheirTimestamp() {
        StoreSettings settings = StoreSettings.defaults().withTimeout(Duration.ofHours(1))
            .withEvents(100, Duration.ofMinutes(10), OverflowPolicy.EVICT_OLDEST);
        RedisSessionStore store = newStore(settings);
        store.create(NewSession.withId("legacy"));
        // An event as an earlier version stored it: no 'at' field, its timestamp the time of the append.
        List<String> keys = new RedisKeys(this.prefix).session("legacy");
        Instant legacyTime = Timestamps.now(this.clock);
        StringRedisTemplate redis = new StringRedisTemplate(RedisTestServer.connectionFactory());
        redis.opsForStream().add(StreamRecords.newRecord().in(keys.get(1)).withId(RecordId.of("1-0"))
            .ofMap(orderedFields("i", "old", "t", "message", "d", "1", "r", "", "m", "{}", "ts",
                    Long.toString(legacyTime.toEpochMilli()))));
        redis.opsForZSet().add(keys.get(2), "old", 1);
        redis.opsForHash().put(keys.get(0), "seq", "1");
        this.clock.advance(Duration.ofMinutes(6));
        Instant relayed = legacyTime.minus(Duration.ofDays(1));
        store.append("legacy", NewEvent.of("new", "message", "2").withTimestamp(relayed));
        this.clock.advance(Duration.ofMinutes(6));

        store.sweep();

        EventPage page = store.read("legacy", EventQuery.after(1));
        assertThat(page.earliestRetained()).as("the legacy event went by its timestamp").isEqualTo(2);
        assertThat(page.events()).singleElement().satisfies((event) -> {
            assertThat(event.id()).isEqualTo("new");
            assertThat(event.timestamp()).isEqualTo(relayed);
        });
    }

    private static Map<String, String> orderedFields(String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields;
    }

    /** The highest feed position a feed listener heard. */
    private static final class AtomicFeed {

        volatile long latest;

        synchronized void heard(long latest) {
            this.latest = Math.max(this.latest, latest);
        }

    }

}
