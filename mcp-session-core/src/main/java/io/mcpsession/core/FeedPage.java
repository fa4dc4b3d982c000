package io.mcpsession.core;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * One read of the global feed, with the same cursor contract as an {@link EventPage}.
 *
 * @param epoch the feed's current epoch
 * @param entries the entries, oldest first
 * @param latest the highest seq ever assigned in {@code epoch}
 * @param earliestRetained the lowest seq still stored ({@code latest + 1} when none is)
 * @param nextCursor the {@code after} of the next read
 * @param reset whether the reader's cursor could not be honoured
 * @param resetReason why, when {@code reset}
 */
@JsonPropertyOrder({ "epoch", "entries", "latest", "earliestRetained", "nextCursor", "reset", "resetReason" })
public record FeedPage(String epoch, List<FeedEntry> entries, long latest, long earliestRetained, long nextCursor,
        boolean reset, @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable ResetReason resetReason) {

    /** The position of the feed this page was read from. */
    public LogPosition position() {
        return new LogPosition(this.latest, this.earliestRetained, this.epoch);
    }

}
