package io.mcpsession.core;

import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A read of the global feed: entries with {@code seq > after}, oldest first, at most {@code limit}.
 *
 * @param after the reader's cursor (0 for the start)
 * @param epoch the epoch of {@code after}, or {@code null} for the current one
 * @param types only entries of these types (all when empty)
 * @param sessionId only entries of this session, or {@code null}
 * @param limit the most entries to return (1–1000)
 * @param scope whose sessions' entries to return; entries of other principals are skipped like filtered ones
 */
public record FeedQuery(long after, @Nullable String epoch, Set<FeedEntryType> types, @Nullable String sessionId,
        int limit, PrincipalScope scope) {

    public FeedQuery {
        Cursor.of(epoch, after);
        types = Set.copyOf(types);
        Limits.requireReadLimit(limit);
        Objects.requireNonNull(scope, "scope");
    }

    /** A read of every principal's entries. */
    public FeedQuery(long after, @Nullable String epoch, Set<FeedEntryType> types, @Nullable String sessionId,
            int limit) {
        this(after, epoch, types, sessionId, limit, PrincipalScope.ALL);
    }

    /** Every retained entry after {@code after}, 100 at a time. */
    public static FeedQuery after(long after) {
        return new FeedQuery(after, null, Set.of(), null, Limits.DEFAULT_READ_LIMIT);
    }

    public FeedQuery withEpoch(@Nullable String epoch) {
        return new FeedQuery(this.after, epoch, this.types, this.sessionId, this.limit, this.scope);
    }

    public FeedQuery withTypes(Set<FeedEntryType> types) {
        return new FeedQuery(this.after, this.epoch, types, this.sessionId, this.limit, this.scope);
    }

    public FeedQuery withSessionId(@Nullable String sessionId) {
        return new FeedQuery(this.after, this.epoch, this.types, sessionId, this.limit, this.scope);
    }

    public FeedQuery withLimit(int limit) {
        return new FeedQuery(this.after, this.epoch, this.types, this.sessionId, limit, this.scope);
    }

    public FeedQuery withScope(PrincipalScope scope) {
        return new FeedQuery(this.after, this.epoch, this.types, this.sessionId, this.limit, scope);
    }

    /** Whether {@code entry} passes this query's filters and scope (not its seq bounds). */
    public boolean matches(FeedEntry entry) {
        return (this.types.isEmpty() || this.types.contains(entry.type()))
                && (this.sessionId == null || this.sessionId.equals(entry.sessionId()))
                && this.scope.includes(entry.principal());
    }

}
