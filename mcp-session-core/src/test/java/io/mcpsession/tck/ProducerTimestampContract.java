package io.mcpsession.tck;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.Session;
import io.mcpsession.core.Timestamps;
import io.mcpsession.store.OverflowPolicy;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.SweepResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Producer timestamps (SPEC §2): an append may carry its producer's time, which the store keeps as given (UTC,
 * millisecond precision); without one the store's clock stamps it. Order is always {@code seq}; {@code since}
 * filters on the timestamp.
 */
public abstract class ProducerTimestampContract extends ContractSupport {

    /** A producer's time far from the test clock (which starts at the current wall-clock second). */
    private static final Instant PRODUCED = Instant.parse("2026-01-02T01:04:05.678Z");

    protected ProducerTimestampContract(StoreFactory factory) {
        super(factory);
    }

    private static NewEvent producedAt(String id, String data, Instant timestamp) {
        return NewEvent.of(id, "message", data).withTimestamp(timestamp);
    }

    @Test
    void givenTimestampIsKeptExactly() {
        SessionStore store = newStore();
        Session session = newSession(store);

        EventRecord appended = append(store, session.id(), producedAt("e1", "1", PRODUCED));

        assertThat(appended.timestamp()).isEqualTo(PRODUCED);
        assertThat(readAll(store, session.id()).events()).singleElement()
            .satisfies((event) -> assertThat(event.timestamp()).isEqualTo(PRODUCED));
    }

    @Test
    void offsetIsNormalizedToUtcAndSubMillisecondsTruncated() {
        SessionStore store = newStore();
        Session session = newSession(store);

        append(store, session.id(), producedAt("offset", "1", Timestamps.parse("timestamp", "2026-01-02T03:04:05.678+02:00")));
        append(store, session.id(), producedAt("micros", "2", Timestamps.parse("timestamp", "2026-01-02T01:04:05.678999Z")));
        append(store, session.id(), producedAt("nanos", "3", PRODUCED.plusNanos(999_999)));

        assertThat(readAll(store, session.id()).events()).extracting(EventRecord::timestamp)
            .containsExactly(PRODUCED, PRODUCED, PRODUCED);
    }

    @Test
    void eventWithoutTimestampIsStampedByStoreClock() {
        SessionStore store = newStore();
        Session session = newSession(store);
        Instant now = this.clock.advance(Duration.ofMillis(1500));

        EventRecord appended = append(store, session.id(), "1");

        Instant expected = Timestamps.now(this.clock);
        assertThat(expected).isBefore(now);
        assertThat(appended.timestamp()).isEqualTo(expected);
        assertThat(readAll(store, session.id()).events()).extracting(EventRecord::timestamp).containsExactly(expected);
    }

    @Test
    void orderIsSeqWhenTimestampsGoBackwards() {
        SessionStore store = newStore();
        Session session = newSession(store);
        append(store, session.id(), producedAt("late", "1", PRODUCED.plusSeconds(120)));
        append(store, session.id(), producedAt("middle", "2", PRODUCED.plusSeconds(60)));
        append(store, session.id(), producedAt("early", "3", PRODUCED));

        EventPage page = readAll(store, session.id());

        assertThat(page.events()).extracting(EventRecord::seq).containsExactly(1L, 2L, 3L);
        assertThat(page.events()).extracting(EventRecord::id).containsExactly("late", "middle", "early");
        assertThat(page.events()).extracting(EventRecord::timestamp)
            .containsExactly(PRODUCED.plusSeconds(120), PRODUCED.plusSeconds(60), PRODUCED);
    }

    @Test
    void sinceFiltersOnProducerTimestamp() {
        SessionStore store = newStore();
        Session session = newSession(store);
        Instant now = Timestamps.now(this.clock);
        append(store, session.id(), NewEvent.of("stamped", "message", "1"));
        append(store, session.id(), producedAt("future", "2", now.plusSeconds(3600)));
        append(store, session.id(), producedAt("past", "3", now.minusSeconds(3600)));

        EventPage page = store.read(session.id(), EventQuery.after(0).withSince(now));

        // The newest seq is left out: its producer's time is before 'since'.
        assertThat(page.events()).extracting(EventRecord::id).containsExactly("stamped", "future");
        assertThat(page.latest()).isEqualTo(3);
        assertThat(store.read(session.id(), EventQuery.after(0).withSince(now.minusSeconds(3600))).events())
            .extracting(EventRecord::id).containsExactly("stamped", "future", "past");
        assertThat(store.read(session.id(), EventQuery.after(0).withSince(now.plusMillis(1))).events())
            .extracting(EventRecord::id).containsExactly("future");
    }

    @Test
    void batchMixesGivenAndAbsentTimestamps() {
        SessionStore store = newStore();
        Session session = newSession(store);
        Instant now = Timestamps.now(this.clock);

        List<AppendResult> results = store.appendAll(session.id(), List.of(producedAt("given-1", "1", PRODUCED),
                NewEvent.of("absent", "message", "2"), producedAt("given-2", "3", PRODUCED.minusSeconds(1))));

        List<Instant> expected = List.of(PRODUCED, now, PRODUCED.minusSeconds(1));
        assertThat(results).extracting((result) -> result.event().timestamp()).containsExactlyElementsOf(expected);
        assertThat(readAll(store, session.id()).events()).extracting(EventRecord::timestamp)
            .containsExactlyElementsOf(expected);
    }

    @Test
    void duplicateKeepsFirstWritesTimestamp() {
        SessionStore store = newStore();
        Session session = newSession(store);
        EventRecord original = append(store, session.id(), producedAt("once", "1", PRODUCED));
        EventRecord stamped = append(store, session.id(), NewEvent.of("stamped", "message", "2"));
        this.clock.advance(Duration.ofSeconds(5));

        AppendResult again = store.append(session.id(), producedAt("once", "1", PRODUCED.plusSeconds(30)));
        AppendResult againWithout = store.append(session.id(), NewEvent.of("once", "message", "1"));
        List<AppendResult> inBatch = store.appendAll(session.id(),
                List.of(producedAt("stamped", "2", PRODUCED), producedAt("fresh", "3", PRODUCED)));

        assertThat(again.duplicate()).isTrue();
        assertThat(again.event().timestamp()).isEqualTo(PRODUCED);
        assertThat(againWithout.event().timestamp()).isEqualTo(PRODUCED);
        assertThat(inBatch.get(0).duplicate()).isTrue();
        assertThat(inBatch.get(0).event().timestamp()).isEqualTo(stamped.timestamp()).isNotEqualTo(PRODUCED);
        assertThat(readAll(store, session.id()).events()).extracting(EventRecord::timestamp)
            .containsExactly(original.timestamp(), stamped.timestamp(), PRODUCED);
    }

    @Test
    void feedEntryCarriesEventWithProducerTimestampAndIsStampedByStore() {
        SessionStore store = newStore();
        Session session = newSession(store);
        Instant now = Timestamps.now(this.clock);
        append(store, session.id(), producedAt("relayed", "1", PRODUCED));

        eventually().untilAsserted(() -> assertThat(readFeed(store, Set.of(FeedEntryType.EVENT_APPENDED), session.id()))
            .singleElement()
            .satisfies((entry) -> {
                assertThat(entry.event().timestamp()).isEqualTo(PRODUCED);
                assertThat(entry.timestamp()).as("the entry's own time: the append's").isEqualTo(now);
            }));
    }

    @Test
    void ttlCountsFromTheAppendNotFromTheProducersTime() {
        StoreSettings settings = StoreSettings.defaults().withTimeout(Duration.ofHours(1))
            .withEvents(100, Duration.ofMinutes(10), OverflowPolicy.EVICT_OLDEST);
        SessionStore store = newStore(settings);
        Session session = newSession(store);
        append(store, session.id(), producedAt("a-day-old", "1", Timestamps.now(this.clock).minus(Duration.ofDays(1))));
        append(store, session.id(), producedAt("tomorrow", "2", Timestamps.now(this.clock).plus(Duration.ofDays(1))));
        append(store, session.id(), "3");
        this.clock.advance(Duration.ofMinutes(6));

        SweepResult early = store.sweep();

        assertThat(early.evictedEvents()).isZero();
        assertThat(readAll(store, session.id()).events()).extracting(EventRecord::seq).containsExactly(1L, 2L, 3L);

        this.clock.advance(Duration.ofMinutes(6));
        SweepResult late = store.sweep();

        assertThat(late.evictedEvents()).isEqualTo(3);
        assertThat(store.position(session.id()).earliestRetained()).isEqualTo(4);
    }

    @Test
    void ephemeralEventKeepsGivenTimestamp() {
        SessionStore store = newStore();
        Session session = newSession(store);

        EphemeralEvent given = store.publishEphemeral(session.id(),
                new NewEvent("tick-1", "progress", "1", null, null, true, PRODUCED.plusNanos(1)));
        EphemeralEvent stamped = store.publishEphemeral(session.id(),
                new NewEvent("tick-2", "progress", "2", null, null, true));

        assertThat(given.timestamp()).isEqualTo(PRODUCED);
        assertThat(stamped.timestamp()).isEqualTo(Timestamps.now(this.clock));
    }

    @Test
    void timestampOutsideYearsOneToNineThousandNineHundredNinetyNineIsRejected() {
        SessionStore store = newStore();
        Session session = newSession(store);

        assertCode(ErrorCode.INVALID_REQUEST,
                () -> store.append(session.id(), producedAt("far", "1", Instant.parse("+10000-01-01T00:00:00Z"))));
        assertCode(ErrorCode.INVALID_REQUEST, () -> store.appendAll(session.id(),
                List.of(NewEvent.of("ok", "message", "1"), producedAt("bc", "2", Instant.parse("0000-12-31T23:59:59Z")))));

        assertThat(store.position(session.id()).latest()).isZero();
        assertThat(append(store, session.id(), producedAt("edge", "3", Timestamps.MAX)).timestamp())
            .isEqualTo(Timestamps.MAX);
        assertThat(append(store, session.id(), producedAt("first", "4", Timestamps.MIN)).timestamp())
            .isEqualTo(Timestamps.MIN);
    }

}
