package io.mcpsession.jdbc;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NotifyPayloadTests {

    @Test
    void sessionsAndTheFeedRoundTrip() {
        Map<String, Long> sessions = new LinkedHashMap<>();
        sessions.put("plain", 7L);
        sessions.put("removed", Long.MAX_VALUE);

        List<String> payloads = NotifyPayload.encode(sessions, 42);

        assertThat(payloads).hasSize(1);
        Map<String, Long> decoded = new HashMap<>();
        assertThat(NotifyPayload.decode(payloads.get(0), decoded)).isEqualTo(42);
        assertThat(decoded).isEqualTo(sessions);
    }

    @Test
    void idsWithSeparatorsAndOddCharactersRoundTrip() {
        Map<String, Long> sessions = new LinkedHashMap<>();
        for (String id : List.of("a=b", "#1", "!x", "sp ace", "plus+sign", "%41", "ünï", "{tag}:x", "\"'<>&|~`^")) {
            sessions.put(id, 3L);
        }

        Map<String, Long> decoded = new HashMap<>();
        NotifyPayload.encode(sessions, -1).forEach((payload) -> NotifyPayload.decode(payload, decoded));

        assertThat(decoded).isEqualTo(sessions);
    }

    @Test
    void manySessionsSplitIntoPayloadsBelowTheLimit() {
        Map<String, Long> sessions = new LinkedHashMap<>();
        for (int i = 0; i < 2000; i++) {
            sessions.put("session-" + i + "-" + "x".repeat(100), (long) i);
        }

        List<String> payloads = NotifyPayload.encode(sessions, 5);

        assertThat(payloads).hasSizeGreaterThan(1)
            .allSatisfy((payload) -> assertThat(payload.getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(NotifyPayload.MAX_BYTES));
        Map<String, Long> decoded = new HashMap<>();
        long feed = -1;
        for (String payload : payloads) {
            feed = Math.max(feed, NotifyPayload.decode(payload, decoded));
        }
        assertThat(decoded).isEqualTo(sessions);
        assertThat(feed).isEqualTo(5);
    }

    @Test
    void theHighestSeqOfASessionWins() {
        Map<String, Long> decoded = new HashMap<>();
        NotifyPayload.decode("s=9", decoded);
        NotifyPayload.decode("s=4", decoded);
        assertThat(decoded).containsEntry("s", 9L);
        NotifyPayload.decode("s", decoded);
        assertThat(decoded).containsEntry("s", Long.MAX_VALUE);
    }

    @Test
    void unknownAndMalformedEntriesAreSkipped() {
        Map<String, Long> decoded = new HashMap<>();

        long feed = NotifyPayload.decode("!stop-1 #x s=notanumber %zz ok=1  #3", decoded);

        assertThat(feed).isEqualTo(3);
        assertThat(decoded).containsOnlyKeys("ok");
    }

    @Test
    void channelsAreIdentifiersOfTheFoldedPrefix() {
        assertThat(PostgresNotifications.channel("MCP_")).isEqualTo("mcp_session_mcp_");
        assertThat(PostgresNotifications.channel("mcp_")).isEqualTo(PostgresNotifications.channel("MCP_"));
        assertThat(PostgresNotifications.channel("a$b")).matches("[a-z0-9_]+");
        assertThat(PostgresNotifications.channel("P".repeat(100))).hasSizeLessThanOrEqualTo(63)
            .isNotEqualTo(PostgresNotifications.channel("P".repeat(99) + "Q"));
    }

}
