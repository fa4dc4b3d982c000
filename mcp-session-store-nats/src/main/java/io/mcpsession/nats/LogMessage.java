package io.mcpsession.nats;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.JsonMembers;
import io.mcpsession.core.JsonText;
import io.mcpsession.core.RecordJson;
import io.mcpsession.core.Session;

/**
 * One message of a session's log subject: the events of one append (all of a batch, so a batch is all or
 * nothing), or a lifecycle change of the session. Every message carries the log's latest seq, so the last message
 * alone says where the log stands. One line of JSON per part: a header, then each event or the session.
 *
 * @param kind what happened
 * @param sessionId the session
 * @param principal the session's principal, for the feed's scope
 * @param timestamp when it happened
 * @param latest the log's latest seq after this message
 * @param events the appended events ({@link Kind#EVENTS})
 * @param session the session after the change ({@link Kind#CREATED}, {@link Kind#UPDATED})
 */
record LogMessage(Kind kind, String sessionId, @Nullable String principal, Instant timestamp, long latest,
        List<EventRecord> events, @Nullable Session session) {

    enum Kind {

        EVENTS("e", FeedEntryType.EVENT_APPENDED), CREATED("c", FeedEntryType.SESSION_CREATED),
        UPDATED("u", FeedEntryType.SESSION_UPDATED), DELETED("d", FeedEntryType.SESSION_DELETED),
        EXPIRED("x", FeedEntryType.SESSION_EXPIRED);

        final String code;

        final FeedEntryType feedType;

        Kind(String code, FeedEntryType feedType) {
            this.code = code;
            this.feedType = feedType;
        }

        static Kind of(String code) {
            for (Kind kind : values()) {
                if (kind.code.equals(code)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException("Unknown log message kind " + code);
        }

        /** Whether the session ends here. */
        boolean closes() {
            return this == DELETED || this == EXPIRED;
        }

    }

    byte[] toBytes() {
        StringBuilder text = new StringBuilder(256);
        text.append("{\"k\":\"").append(this.kind.code).append("\",\"id\":").append(JsonText.toJson(this.sessionId))
            .append(",\"p\":").append((this.principal != null) ? JsonText.toJson(this.principal) : "null")
            .append(",\"t\":").append(this.timestamp.toEpochMilli()).append(",\"latest\":").append(this.latest)
            .append('}');
        for (EventRecord event : this.events) {
            text.append('\n').append(JsonText.toJson(event));
        }
        if (this.session != null) {
            text.append('\n').append(JsonText.toJson(this.session));
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    static LogMessage fromBytes(byte[] bytes) {
        // JSON text never holds a raw line break, so lines split the parts.
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        Map<String, JsonMembers.Member> header = JsonMembers.parse(lines[0]);
        Kind kind = Kind.of(header.get("k").string());
        List<EventRecord> events = new ArrayList<>();
        Session session = null;
        for (int i = 1; i < lines.length; i++) {
            if (kind == Kind.EVENTS) {
                events.add(RecordJson.event(lines[i]));
            }
            else {
                session = RecordJson.session(lines[i]);
            }
        }
        JsonMembers.Member principal = header.get("p");
        return new LogMessage(kind, header.get("id").string(), principal.isNull() ? null : principal.string(),
                Instant.ofEpochMilli(Long.parseLong(header.get("t").raw())), Long.parseLong(header.get("latest").raw()),
                events, session);
    }

    /** The latest seq a log message records, read without parsing its events. */
    static long latestOf(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != '\n') {
            end++;
        }
        return Long.parseLong(JsonMembers.parse(new String(bytes, 0, end, StandardCharsets.UTF_8)).get("latest").raw());
    }

}
