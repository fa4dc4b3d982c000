package io.mcpsession.core;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Reads back the JSON that {@link JsonText#toJson(Object)} writes for events and sessions, keeping their JSON
 * members (data, metadata, capabilities) verbatim. Stores use it for copies they keep as text, such as feed
 * entries that outlive the event they record.
 */
public final class RecordJson {

    private RecordJson() {
    }

    /** An event written by {@code JsonText.toJson(EventRecord)}. */
    public static EventRecord event(String json) {
        Map<String, JsonMembers.Member> members = JsonMembers.parse(json);
        return new EventRecord(string(members, "sessionId"), Long.parseLong(raw(members, "seq")),
                string(members, "id"), string(members, "type"), raw(members, "data"), nullableString(members, "runId"),
                raw(members, "metadata"), Instant.parse(string(members, "timestamp")), string(members, "epoch"));
    }

    /** A session written by {@code JsonText.toJson(Session)}. */
    public static Session session(String json) {
        Map<String, JsonMembers.Member> members = JsonMembers.parse(json);
        return new Session(string(members, "id"), Instant.parse(string(members, "createdAt")),
                Instant.parse(string(members, "lastActivity")), Instant.parse(string(members, "expiresAt")),
                Boolean.parseBoolean(raw(members, "initialized")), nullableRaw(members, "clientCapabilities"),
                nullableRaw(members, "serverCapabilities"), nullableString(members, "protocolVersion"),
                raw(members, "metadata"), nullableString(members, "principal"));
    }

    private static String raw(Map<String, JsonMembers.Member> members, String name) {
        JsonMembers.Member member = members.get(name);
        if (member == null) {
            throw new IllegalArgumentException("Missing member '" + name + "'");
        }
        return member.raw();
    }

    private static @Nullable String nullableRaw(Map<String, JsonMembers.Member> members, String name) {
        JsonMembers.Member member = members.get(name);
        return (member == null || member.isNull()) ? null : member.raw();
    }

    private static String string(Map<String, JsonMembers.Member> members, String name) {
        String value = nullableString(members, name);
        if (value == null) {
            throw new IllegalArgumentException("Missing member '" + name + "'");
        }
        return value;
    }

    private static @Nullable String nullableString(Map<String, JsonMembers.Member> members, String name) {
        JsonMembers.Member member = members.get(name);
        return (member == null || member.isNull()) ? null : member.string();
    }

}
