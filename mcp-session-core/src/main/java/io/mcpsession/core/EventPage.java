package io.mcpsession.core;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * One read of a session's log.
 *
 * @param sessionId the session
 * @param epoch the log's current epoch
 * @param events the events, oldest first
 * @param latest the highest seq ever assigned in {@code epoch}
 * @param earliestRetained the lowest seq still stored ({@code latest + 1} when none is)
 * @param nextCursor the {@code after} of the next read
 * @param reset whether the reader's cursor could not be honoured (gap contract)
 * @param resetReason why, when {@code reset}
 */
@JsonPropertyOrder({ "sessionId", "epoch", "events", "latest", "earliestRetained", "nextCursor", "reset", "resetReason" })
public record EventPage(String sessionId, String epoch, List<EventRecord> events, long latest, long earliestRetained,
        long nextCursor, boolean reset, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable ResetReason resetReason) {

    /** The position of the log this page was read from. */
    public LogPosition position() {
        return new LogPosition(this.latest, this.earliestRetained, this.epoch);
    }

}
