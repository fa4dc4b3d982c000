package io.mcpsession.redis;

import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.JsonText;
import io.mcpsession.core.Session;

/**
 * Reads the domain's records from the store's script replies. Values are text exactly as stored ({@code ''} for
 * null), so JSON members (data, metadata, capabilities) round-trip verbatim.
 */
final class RedisRecords {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private RedisRecords() {
    }

    /** A session from its fields: created, act, exp, init, cc, sc, pv, md, pr. */
    static Session session(String id, ScriptReply reply) {
        return session(id, Arrays.asList(reply.next(), reply.next(), reply.next(), reply.next(), reply.next(),
                reply.next(), reply.next(), reply.next(), reply.next()).iterator());
    }

    /** An event from its fields: seq, id, type, data, runId, metadata, timestamp. */
    static EventRecord event(String sessionId, String epoch, ScriptReply reply) {
        long seq = reply.nextLong();
        return new EventRecord(sessionId, seq, reply.next(), reply.next(), reply.next(), reply.nextOrNull(),
                reply.next(), Instant.ofEpochMilli(reply.nextLong()), epoch);
    }

    /**
     * A feed entry from its fields: seq, type, session id, timestamp, body (a JSON array of text) and principal.
     */
    static FeedEntry feedEntry(String epoch, ScriptReply reply) {
        long seq = reply.nextLong();
        FeedEntryType type = FeedEntryType.fromValue(reply.next())
            .orElseThrow(() -> new IllegalStateException("Unknown feed entry type in Redis"));
        String sessionId = reply.next();
        Instant timestamp = Instant.ofEpochMilli(reply.nextLong());
        String body = reply.next();
        String principal = orNull(reply.next());
        EventRecord event = null;
        Session session = null;
        if (type == FeedEntryType.EVENT_APPENDED) {
            Iterator<String> fields = fields(body);
            long eventSeq = Long.parseLong(fields.next());
            event = new EventRecord(sessionId, eventSeq, fields.next(), fields.next(), fields.next(),
                    orNull(fields.next()), fields.next(), Instant.ofEpochMilli(Long.parseLong(fields.next())),
                    fields.next());
        }
        else if (type == FeedEntryType.SESSION_CREATED || type == FeedEntryType.SESSION_UPDATED) {
            session = session(sessionId, fields(body));
        }
        return new FeedEntry(seq, type, sessionId, timestamp, epoch, event, session, principal);
    }

    /** The members of a new session as create.lua takes them: cc, sc, pv, md, pr. */
    static List<String> members(Session session) {
        return List.of(orEmpty(session.clientCapabilities()), orEmpty(session.serverCapabilities()),
                orEmpty(session.protocolVersion()), session.metadata(), orEmpty(session.principal()));
    }

    static String orEmpty(@Nullable String value) {
        return (value != null) ? value : "";
    }

    private static @Nullable String orNull(String value) {
        return value.isEmpty() ? null : value;
    }

    private static Session session(String id, Iterator<String> fields) {
        Instant createdAt = Instant.ofEpochMilli(Long.parseLong(fields.next()));
        Instant lastActivity = Instant.ofEpochMilli(Long.parseLong(fields.next()));
        Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(fields.next()));
        boolean initialized = "1".equals(fields.next());
        String clientCapabilities = orNull(fields.next());
        String serverCapabilities = orNull(fields.next());
        String protocolVersion = orNull(fields.next());
        String metadata = fields.next();
        String principal = orNull(fields.next());
        return new Session(id, createdAt, lastActivity, expiresAt, initialized, clientCapabilities,
                serverCapabilities, protocolVersion, metadata.isEmpty() ? JsonText.EMPTY_OBJECT : metadata, principal);
    }

    private static Iterator<String> fields(String body) {
        return Arrays.asList(MAPPER.readValue(body, String[].class)).iterator();
    }

}
