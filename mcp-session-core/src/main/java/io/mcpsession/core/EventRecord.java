package io.mcpsession.core;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonRawValue;
import org.jspecify.annotations.Nullable;

/**
 * A persisted event of a session's log.
 *
 * @param sessionId the session it belongs to
 * @param seq its place in the log: 1, 2, 3, … within {@code epoch}
 * @param id the idempotency key (the caller's, or a generated UUIDv7)
 * @param type the event type
 * @param data the payload as compact JSON text, verbatim
 * @param runId the run it belongs to, or {@code null}
 * @param metadata compact JSON object text ({@code {}} when none)
 * @param timestamp its producer's time when the append gave one, else when it was appended
 * @param epoch the history of the log this {@code seq} belongs to
 */
@JsonPropertyOrder({ "sessionId", "seq", "id", "type", "data", "runId", "metadata", "timestamp", "epoch" })
public record EventRecord(String sessionId, long seq, String id, String type, @JsonRawValue String data,
        @Nullable String runId, @JsonRawValue String metadata,
        @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = Timestamps.PATTERN, timezone = "UTC") Instant timestamp,
        String epoch) {

    /** The SSE id of this event: its cursor. */
    public String cursor() {
        return Cursor.of(this.epoch, this.seq).token();
    }

}
