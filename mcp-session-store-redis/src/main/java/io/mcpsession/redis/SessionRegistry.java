package io.mcpsession.redis;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisZSetCommands.ZAddArgs;
import org.springframework.data.redis.core.RedisCallback;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionIds;
import io.mcpsession.store.StoreSettings;

/**
 * The store-wide registry of sessions (see {@code registry_lib.lua}): max-sessions slots, the sweeper's schedule
 * and the list order. A session takes its slot before it is created and keeps its registration until it is
 * removed and its feed entries are numbered, so the sweeper can always find it.
 */
final class SessionRegistry {

    /** How many removed sessions a list cursor can still name. */
    private static final int TOMBSTONES = 10_000;

    private final StoreConnection connection;

    private final RedisKeys keys;

    private final long firstVisitDelay;

    private final String maxSessions;

    SessionRegistry(StoreConnection connection, RedisKeys keys, StoreSettings settings) {
        this.connection = connection;
        this.keys = keys;
        this.firstVisitDelay = Math.min(settings.timeout().toMillis(), settings.eventTtl().toMillis());
        this.maxSessions = Integer.toString(settings.maxSessions());
    }

    /** Takes a max-sessions slot for a session about to be created; false when the store is full. */
    boolean reserve(String sessionId, Instant now) {
        return "ok".equals(this.connection
            .run(RedisScripts.RESERVE, this.keys.registry(), List.of(sessionId, this.maxSessions, firstVisit(now)))
            .status());
    }

    /** Registers a created session under {@code token}. */
    void register(Session session, String token, Instant now) {
        this.connection.run(RedisScripts.REGISTER, this.keys.registry(),
                List.of(session.id(), firstVisit(now), token, Long.toString(session.createdAt().toEpochMilli()),
                        RedisRecords.orEmpty(session.principal()), Long.toString(now.toEpochMilli()),
                        Integer.toString(TOMBSTONES)));
    }

    /** Frees a removed session's slot, unless its id was registered again since (then the token differs). */
    void unregister(String sessionId, String token, Instant now) {
        this.connection.run(RedisScripts.UNREGISTER, this.keys.registry(),
                List.of(sessionId, token, Long.toString(now.toEpochMilli()), Integer.toString(TOMBSTONES)));
    }

    /** The sessions holding a slot: the live ones and those expired since the last sweep. */
    long count() {
        Long count = this.connection.call((template) -> template.opsForZSet().zCard(this.keys.sessions()));
        return (count != null) ? count : 0;
    }

    /** Sessions the sweeper should visit by {@code now}, at most {@code limit}. */
    List<String> due(Instant now, int limit) {
        Set<String> due = this.connection.call((template) -> template.opsForZSet()
            .rangeByScore(this.keys.sessions(), Double.NEGATIVE_INFINITY, now.toEpochMilli(), 0, limit));
        return (due != null) ? new ArrayList<>(due) : List.of();
    }

    /** The registration tokens of {@code sessionIds} ({@code ''} for a session never registered). */
    List<String> tokens(List<String> sessionIds) {
        List<Object> values = this.connection
            .call((template) -> template.opsForHash().multiGet(this.keys.registrations(), new ArrayList<>(sessionIds)));
        List<String> tokens = new ArrayList<>(sessionIds.size());
        for (int i = 0; i < sessionIds.size(); i++) {
            Object value = (values != null) ? values.get(i) : null;
            tokens.add((value != null) ? value.toString().substring(0, value.toString().indexOf('\n')) : "");
        }
        return tokens;
    }

    /** Sets when the sweeper next visits a session that still holds its slot. */
    void visitAt(String sessionId, long epochMilli) {
        byte[] key = this.keys.sessions().getBytes(StandardCharsets.UTF_8);
        byte[] member = sessionId.getBytes(StandardCharsets.UTF_8);
        this.connection.call((template) -> template.execute(
                (RedisCallback<Boolean>) (redis) -> redis.zSetCommands().zAdd(key, epochMilli, member, ZAddArgs.ifExists())));
    }

    /**
     * Where a list continues: the index member of the session a cursor names (a visible registered or recently
     * removed session, or else the time of a UUIDv7 id).
     * @param after the id of the last session of the previous page
     * @param owner whose sessions the list shows, or {@code null} for everybody's
     * @throws McpSessionException {@code INVALID_CURSOR} when the cursor names no session the list can place
     */
    String cursor(String after, @Nullable ListOwner owner) {
        String prefix = (owner != null) ? owner.key() + "\n" : "";
        for (String hash : List.of(this.keys.registrations(), this.keys.tombstones())) {
            Object value = this.connection.call((template) -> template.opsForHash().get(hash, after));
            if (value != null) {
                String[] fields = value.toString().split("\n", -1);
                String principal = fields[fields.length - 1];
                if (owner == null || owner.key().equals(ListOwner.keyOf(principal.isEmpty() ? null : principal))) {
                    return prefix + member(Long.parseLong(fields[fields.length - 2]), after);
                }
            }
        }
        return prefix + member(SessionIds.timestampOf(after)
            .orElseThrow(() -> new McpSessionException(ErrorCode.INVALID_CURSOR,
                    "Invalid cursor: no session '" + after + "' to continue after"))
            .toEpochMilli(), after);
    }

    /**
     * Up to {@code count} index members that follow {@code from} in list order.
     * @param from a member from {@link #cursor} or this method, or {@code null} for the start
     * @param owner whose sessions, or {@code null} for everybody's
     */
    List<String> members(@Nullable String from, int count, @Nullable ListOwner owner) {
        String key = (owner != null) ? this.keys.owned() : this.keys.created();
        Range.Bound<String> lower = (from != null) ? Range.Bound.exclusive(from)
                : (owner != null) ? Range.Bound.inclusive(owner.key() + "\n") : Range.Bound.unbounded();
        Range.Bound<String> upper = (owner != null) ? Range.Bound.exclusive(owner.key() + "\u000b")
                : Range.Bound.unbounded();
        Set<String> members = this.connection.call((template) -> template.opsForZSet()
            .rangeByLex(key, Range.of(lower, upper), Limit.limit().count(count)));
        return (members != null) ? new ArrayList<>(members) : List.of();
    }

    /** The session id of an index member. */
    static String idOf(String member) {
        return member.substring(member.lastIndexOf('\n') + 1);
    }

    /** A session's place in list order, as registry_lib.lua writes it. */
    private static String member(long createdAt, String sessionId) {
        return String.format("%015d", createdAt) + "\n" + sessionId;
    }

    private String firstVisit(Instant now) {
        return Long.toString(now.toEpochMilli() + this.firstVisitDelay);
    }

    /**
     * The owner a listing is limited to.
     * @param key {@code -} for anonymous sessions, {@code =<principal>} otherwise (as registry_lib.lua writes it)
     */
    record ListOwner(String key) {

        static ListOwner of(@Nullable String principal) {
            return new ListOwner(keyOf(principal));
        }

        static String keyOf(@Nullable String principal) {
            return (principal != null) ? "=" + principal : "-";
        }

    }

}
