package io.mcpsession.core;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RecordJsonTests {

    @Test
    void eventRoundTripsVerbatim() {
        EventRecord event = new EventRecord("s{1}", 7, "e\"1", "progress", "{\"b\":1.10,\"a\":[1e5,\"\\u00e9\"]}",
                null, "{\"k\":12345678901234567890}", Instant.parse("2026-11-23T10:00:00.120Z"), "ep");
        assertThat(RecordJson.event(JsonText.toJson(event))).isEqualTo(event);
    }

    @Test
    void eventWithRunIdRoundTrips() {
        EventRecord event = new EventRecord("s", 1, "e", "t", "null", "run-1", "{}",
                Instant.parse("2026-11-23T10:00:00Z"), "ep");
        assertThat(RecordJson.event(JsonText.toJson(event))).isEqualTo(event);
    }

    @Test
    void sessionRoundTripsVerbatim() {
        Session session = new Session("id", Instant.parse("2026-11-23T10:00:00.001Z"),
                Instant.parse("2026-11-23T10:00:01Z"), Instant.parse("2026-11-23T10:30:01Z"), true,
                "{\"roots\":{\"listChanged\":true}}", null, "2025-11-25", "{\"n\":-0}", "alice");
        assertThat(RecordJson.session(JsonText.toJson(session))).isEqualTo(session);
    }

    @Test
    void anonymousSessionWithoutCapabilitiesRoundTrips() {
        Session session = new Session("id", Instant.parse("2026-11-23T10:00:00Z"),
                Instant.parse("2026-11-23T10:00:00Z"), Instant.parse("2026-11-23T10:30:00Z"), false, null, null,
                null, "{}", null);
        assertThat(RecordJson.session(JsonText.toJson(session))).isEqualTo(session);
    }

}
