package io.mcpsession.core;

import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gap contract (SPEC §3.5) and the read bounds and {@code nextCursor} rule (SPEC §3.4), as tables of cases.
 * The log is in epoch {@code cur}; {@code old} is a foreign epoch.
 */
class ReadPlanTests {

    private static final String EPOCH = "cur";

    private static final Instant NOW = Instant.parse("2025-11-25T10:00:00.000Z");

    @ParameterizedTest(name = "{0}")
    @MethodSource("plans")
    void planFollowsTheGapContract(String description, long after, @Nullable String epoch, @Nullable Long before,
            long latest, long earliestRetained, long plannedAfter, long plannedUpTo,
            @Nullable ResetReason resetReason) {
        ReadPlan plan = ReadPlan.of(after, epoch, before, new LogPosition(latest, earliestRetained, EPOCH));

        assertThat(plan).isEqualTo(new ReadPlan(plannedAfter, plannedUpTo, resetReason));
        assertThat(plan.reset()).isEqualTo(resetReason != null);
    }

    static Stream<Arguments> plans() {
        return Stream.of(
                // description, after, epoch, before, latest, earliestRetained => after, upTo, resetReason
                plan("fresh empty log, from the start", 0, null, null, 0, 1, 0, 0, null),
                plan("from the start, nothing evicted", 0, null, null, 10, 1, 0, 10, null),
                plan("bare seq inside the window", 3, null, null, 10, 1, 3, 10, null),
                plan("current epoch named explicitly", 3, EPOCH, null, 10, 1, 3, 10, null),
                plan("cursor at latest", 10, null, null, 10, 1, 10, 10, null),
                plan("cursor just below the window is no gap", 4, null, null, 10, 5, 4, 10, null),
                plan("cursor below the window", 3, null, null, 10, 5, 4, 10, ResetReason.RETENTION),
                plan("from the start after eviction", 0, null, null, 10, 5, 4, 10, ResetReason.RETENTION),
                plan("current epoch named, cursor below the window", 1, EPOCH, null, 10, 5, 4, 10,
                        ResetReason.RETENTION),
                plan("everything evicted, from the start", 0, null, null, 10, 11, 10, 10, ResetReason.RETENTION),
                plan("everything evicted, cursor at latest", 10, null, null, 10, 11, 10, 10, null),
                plan("foreign epoch", 3, "old", null, 10, 1, 0, 10, ResetReason.EPOCH),
                plan("foreign epoch at seq 0", 0, "old", null, 10, 1, 0, 10, ResetReason.EPOCH),
                plan("foreign epoch, cursor above latest", 500, "old", null, 10, 1, 0, 10, ResetReason.EPOCH),
                plan("foreign epoch, window trimmed", 3, "old", null, 10, 5, 4, 10, ResetReason.EPOCH),
                plan("foreign epoch, cursor below the window", 1, "old", null, 10, 5, 4, 10, ResetReason.EPOCH),
                plan("foreign epoch, empty log", 7, "old", null, 0, 1, 0, 0, ResetReason.EPOCH),
                plan("cursor above latest: no events, no reset", 15, null, null, 10, 1, 15, 10, null),
                plan("cursor above latest in the named current epoch", 15, EPOCH, null, 10, 5, 15, 10, null),
                plan("before inside the log", 2, null, 6L, 10, 1, 2, 5, null),
                plan("before just above latest", 2, null, 11L, 10, 1, 2, 10, null),
                plan("before far above latest", 2, null, 50L, 10, 1, 2, 10, null),
                plan("before at the cursor", 5, null, 6L, 10, 1, 5, 5, null),
                plan("before below the cursor", 5, null, 3L, 10, 1, 5, 2, null),
                plan("before 1 reads nothing", 0, null, 1L, 10, 1, 0, 0, null),
                plan("before with a retention reset", 0, null, 8L, 10, 5, 4, 7, ResetReason.RETENTION),
                plan("before with an epoch reset", 9, "old", 3L, 10, 1, 0, 2, ResetReason.EPOCH));
    }

    private static Arguments plan(String description, long after, @Nullable String epoch, @Nullable Long before,
            long latest, long earliestRetained, long plannedAfter, long plannedUpTo,
            @Nullable ResetReason resetReason) {
        return Arguments.of(description, after, epoch, before, latest, earliestRetained, plannedAfter, plannedUpTo,
                resetReason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nextCursors")
    void nextCursorIsTheLastExaminedSeqAndNeverBelowAfter(String description, ReadPlan plan, int returned,
            long lastSeq, int limit, long nextCursor) {
        assertThat(plan.nextCursor(returned, lastSeq, limit)).isEqualTo(nextCursor);
    }

    static Stream<Arguments> nextCursors() {
        ReadPlan window = new ReadPlan(2, 10, null);
        ReadPlan before = new ReadPlan(2, 5, null);
        ReadPlan retention = new ReadPlan(4, 10, ResetReason.RETENTION);
        ReadPlan epoch = new ReadPlan(0, 10, ResetReason.EPOCH);
        return Stream.of(
                // description, plan, returned, lastSeq, limit => nextCursor
                cursor("full page: the last returned seq", window, 3, 5, 3, 5L),
                cursor("full page ending at latest", window, 8, 10, 8, 10L),
                cursor("partial page: latest (filters examined the rest)", window, 2, 4, 3, 10L),
                cursor("partial page ending at latest", window, 8, 10, 100, 10L),
                cursor("empty page: latest", window, 0, 0, 100, 10L),
                cursor("empty log", new ReadPlan(0, 0, null), 0, 0, 100, 0L),
                cursor("cursor above latest: never below after", new ReadPlan(15, 10, null), 0, 0, 100, 15L),
                cursor("partial page with before: before - 1", before, 2, 4, 100, 5L),
                cursor("empty page with before: before - 1", before, 0, 0, 100, 5L),
                cursor("full page with before: the last returned seq", before, 2, 4, 2, 4L),
                cursor("before below the cursor: never below after", new ReadPlan(5, 2, null), 0, 0, 100, 5L),
                cursor("retention reset, partial page: latest", retention, 3, 9, 100, 10L),
                cursor("retention reset, full page: the last returned seq", retention, 2, 6, 2, 6L),
                cursor("retention reset, nothing retained: latest", new ReadPlan(10, 10, ResetReason.RETENTION),
                        0, 0, 100, 10L),
                cursor("epoch reset, partial page: latest", epoch, 1, 1, 100, 10L),
                cursor("epoch reset, full page: the last returned seq", epoch, 1, 1, 1, 1L));
    }

    private static Arguments cursor(String description, ReadPlan plan, int returned, long lastSeq, int limit,
            long nextCursor) {
        return Arguments.of(description, plan, returned, lastSeq, limit, nextCursor);
    }

    @Test
    void planOfAQueryUsesItsCursorEpochAndBefore() {
        LogPosition position = new LogPosition(10, 5, EPOCH);

        assertThat(ReadPlan.of(EventQuery.after(7).withBefore(9L), position)).isEqualTo(new ReadPlan(7, 8, null));
        assertThat(ReadPlan.of(EventQuery.after(7).withEpoch("old"), position))
            .isEqualTo(new ReadPlan(4, 10, ResetReason.EPOCH));
        assertThat(ReadPlan.of(EventQuery.after(Cursor.parse(EPOCH + ":2")), position))
            .isEqualTo(new ReadPlan(4, 10, ResetReason.RETENTION));
        assertThat(ReadPlan.of(EventQuery.after(Cursor.parse("12")), position)).isEqualTo(new ReadPlan(12, 10, null));
    }

    @Test
    void fullPageResumesAfterItsLastEvent() {
        LogPosition position = new LogPosition(10, 1, EPOCH);
        ReadPlan plan = ReadPlan.of(EventQuery.after(0).withLimit(3), position);

        EventPage page = plan.page("s", position, events(1, 2, 3), 3);

        assertThat(page.nextCursor()).isEqualTo(3);
        assertThat(page.reset()).isFalse();
        assertThat(page.resetReason()).isNull();
        assertThat(page.position()).isEqualTo(position);
        assertThat(page.sessionId()).isEqualTo("s");
    }

    @Test
    void partialPageResumesAfterLatest() {
        LogPosition position = new LogPosition(10, 1, EPOCH);
        ReadPlan plan = ReadPlan.of(EventQuery.after(0).withType("wanted"), position);

        assertThat(plan.page("s", position, events(2, 7), 100).nextCursor()).isEqualTo(10);
        assertThat(plan.page("s", position, List.of(), 100).nextCursor()).isEqualTo(10);
    }

    @Test
    void resetPageCarriesTheReasonAndResumesPastTheRetainedWindow() {
        LogPosition position = new LogPosition(10, 5, EPOCH);
        ReadPlan plan = ReadPlan.of(EventQuery.after(1).withLimit(2), position);

        EventPage page = plan.page("s", position, events(5, 6), 2);

        assertThat(page.reset()).isTrue();
        assertThat(page.resetReason()).isEqualTo(ResetReason.RETENTION);
        assertThat(page.earliestRetained()).isEqualTo(5);
        assertThat(page.latest()).isEqualTo(10);
        assertThat(page.epoch()).isEqualTo(EPOCH);
        assertThat(page.nextCursor()).isEqualTo(6);
    }

    @Test
    void feedPageFollowsTheSameRules() {
        LogPosition position = new LogPosition(20, 1, EPOCH);

        FeedPage foreign = ReadPlan.of(9, "old", null, position).feedPage(position, List.of(entry(1), entry(2)), 2);
        FeedPage partial = ReadPlan.of(18, null, null, position).feedPage(position, List.of(entry(19)), 100);
        FeedPage above = ReadPlan.of(25, null, null, position).feedPage(position, List.of(), 100);

        assertThat(foreign.reset()).isTrue();
        assertThat(foreign.resetReason()).isEqualTo(ResetReason.EPOCH);
        assertThat(foreign.nextCursor()).isEqualTo(2);
        assertThat(partial.reset()).isFalse();
        assertThat(partial.nextCursor()).isEqualTo(20);
        assertThat(above.reset()).isFalse();
        assertThat(above.nextCursor()).isEqualTo(25);
        assertThat(above.position()).isEqualTo(position);
    }

    private static List<EventRecord> events(long... seqs) {
        return LongStream.of(seqs)
            .mapToObj((seq) -> new EventRecord("s", seq, "e" + seq, "wanted", "{}", null, "{}", NOW, EPOCH))
            .toList();
    }

    private static FeedEntry entry(long seq) {
        return new FeedEntry(seq, FeedEntryType.SESSION_CREATED, "s", NOW, EPOCH, null, null, null);
    }

}
