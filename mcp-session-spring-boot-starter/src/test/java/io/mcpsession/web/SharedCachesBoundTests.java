package io.mcpsession.web;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.Cursor;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventRecord;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The caches that SSE streams share hold at most their byte bound however much passes through them: 320 events of
 * 1 MB once left 243 MB held after their client had gone.
 */
class SharedCachesBoundTests {

    private static final long BOUND = 10_000;

    private static final String KILOBYTE = "\"" + "x".repeat(1000) + "\"";

    @Test
    void theFrameCacheHoldsAtMostItsBoundAndKeepsTheLatestFrames() {
        EventFrames frames = new EventFrames(BOUND);
        String latest = null;
        for (long seq = 1; seq <= 100; seq++) {
            latest = frames.frame(event(seq, KILOBYTE));
            assertThat(frames.bytes()).isBetween(1L, BOUND);
        }
        assertThat(frames.frame(event(100, KILOBYTE))).as("the latest frame is kept").isSameAs(latest);
    }

    @Test
    void aFrameLargerThanTheBoundIsEncodedButNeverKept() {
        EventFrames frames = new EventFrames(BOUND);
        frames.frame(event(1, KILOBYTE));
        long held = frames.bytes();
        String huge = "\"" + "y".repeat((int) BOUND * 2) + "\"";

        String frame = frames.frame(event(2, huge));

        assertThat(frame).contains(huge);
        assertThat(frames.bytes()).isEqualTo(held);
        assertThat(frames.frame(event(2, huge))).as("encoded again, not cached").isNotSameAs(frame);
    }

    @Test
    void theSharedPageCacheHoldsAtMostItsBound() {
        SharedReads reads = new SharedReads(BOUND);
        for (long seq = 1; seq <= 100; seq++) {
            EventRecord event = event(seq, KILOBYTE);
            EventPage page = new EventPage("s", "e1", List.of(event), seq, 1, seq, false, null);
            assertThat(reads.read("s", Cursor.of("e1", seq - 1), 100, System.nanoTime(), () -> page)).isSameAs(page);
            assertThat(reads.bytes()).isBetween(0L, BOUND);
        }
        assertThat(reads.bytes()).as("the latest pages are held").isPositive();
    }

    private static EventRecord event(long seq, String data) {
        return new EventRecord("s", seq, "id-" + seq, "message", data, null, "{}", Instant.EPOCH, "e1");
    }

}
