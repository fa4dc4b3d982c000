package io.mcpsession.core;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the global change feed.
 *
 * @param seq its place in the feed: 1, 2, 3, … within {@code epoch}
 * @param type the kind of change
 * @param sessionId the session that changed
 * @param timestamp when the change happened
 * @param epoch the history of the feed this {@code seq} belongs to
 * @param event the persisted event, for {@code event.appended}
 * @param session the session after the change, for {@code session.created} and {@code session.updated}
 * @param principal the principal of the session that changed, recorded with the entry so that a reader's scope
 * applies to every entry, also those of sessions gone since (not part of the entry's JSON)
 */
@JsonPropertyOrder({ "seq", "type", "sessionId", "timestamp", "epoch", "event", "session" })
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FeedEntry(long seq, FeedEntryType type, String sessionId,
        @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = Timestamps.PATTERN, timezone = "UTC") Instant timestamp,
        String epoch, @Nullable EventRecord event, @Nullable Session session,
        @JsonIgnore @Nullable String principal) {

    /** The SSE id of this entry: its cursor. */
    public String cursor() {
        return Cursor.of(this.epoch, this.seq).token();
    }

}
