package io.mcpsession.core;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TimestampsTests {

    @Test
    void parseNormalizesAnyOffsetToUtcMillis() {
        Instant expected = Instant.parse("2026-01-02T01:04:05.678Z");
        assertThat(Timestamps.parse("timestamp", "2026-01-02T03:04:05.678+02:00")).isEqualTo(expected);
        assertThat(Timestamps.parse("timestamp", "2026-01-01T20:34:05.678-04:30")).isEqualTo(expected);
        assertThat(Timestamps.parse("timestamp", "2026-01-02t01:04:05.678z")).isEqualTo(expected);
        assertThat(Timestamps.parse("timestamp", "2026-01-02T01:04:05.678999999Z")).isEqualTo(expected);
        assertThat(Timestamps.parse("timestamp", "2026-01-02T01:04:05Z")).isEqualTo(expected.minusMillis(678));
    }

    @Test
    void parseRejectsWhatIsNotAnRfc3339DateTime() {
        for (String text : new String[] { "", "now", "2026-01-02", "2026-01-02T01:04:05", "2026-01-02T01:04Z",
                "2026-01-02 01:04:05Z", "2026-02-29T00:00:00Z", "2026-01-02T01:04:05.Z", "2026-01-02T01:04:05+2:00",
                "2026-01-02T01:04:05.1234567890Z", " 2026-01-02T01:04:05Z" }) {
            assertThatExceptionOfType(McpSessionException.class).as(text)
                .isThrownBy(() -> Timestamps.parse("timestamp", text))
                .satisfies((ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .withMessageContaining("'timestamp'");
        }
    }

    @Test
    void yearsOutsideOneToNineThousandNineHundredNinetyNineAreRejected() {
        assertThat(Timestamps.parse("timestamp", "0001-01-01T00:00:00Z")).isEqualTo(Timestamps.MIN);
        assertThat(Timestamps.parse("timestamp", "9999-12-31T23:59:59.999999Z")).isEqualTo(Timestamps.MAX);
        assertThatExceptionOfType(McpSessionException.class)
            .isThrownBy(() -> Timestamps.parse("timestamp", "0000-12-31T23:59:59Z"));
        assertThatExceptionOfType(McpSessionException.class)
            .isThrownBy(() -> Timestamps.parse("timestamp", "9999-12-31T23:59:59.999-00:01"));
    }

    @Test
    void newEventTruncatesItsTimestampToMillis() {
        NewEvent event = NewEvent.of("message", "1").withTimestamp(Instant.parse("2026-01-02T01:04:05.678999Z"));
        assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-01-02T01:04:05.678Z"));
        assertThat(NewEvent.of("message", "1").timestamp()).isNull();
    }

}
