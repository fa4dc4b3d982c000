package io.mcpsession.core;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import org.jspecify.annotations.Nullable;

/**
 * An event delivered live to connected readers and never persisted: it has no {@code seq}, no epoch, and no
 * place in replays or the feed.
 *
 * @param sessionId the session it was published to
 * @param id its id (the caller's, or a generated UUIDv7)
 * @param type the event type
 * @param data the payload as compact JSON text
 * @param runId the run it belongs to, or {@code null}
 * @param metadata compact JSON object text
 * @param timestamp its producer's time when the publisher gave one, else when it was published
 */
@JsonPropertyOrder({ "sessionId", "id", "type", "data", "runId", "metadata", "timestamp" })
public record EphemeralEvent(String sessionId, String id, String type, @JsonRawValue String data,
        @Nullable String runId, @JsonRawValue String metadata,
        @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = Timestamps.PATTERN, timezone = "UTC") Instant timestamp) {
}
