package io.mcpsession.dynamodb;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Where each item lives. Session ids never hold {@code #} (SPEC §2), so {@code #} separates the parts of a key.
 * A session's events, state, idempotency records, feed cursor and lifecycle records live in the partition of its
 * epoch ({@code e#<id>#<epoch>}), so a session recreated with the same id starts in a fresh partition while the
 * sweeper removes the old one.
 */
final class SessionKeys {

    static final String HEAD = "session";

    static final String GONE = "gone";

    static final String FED = "fed";

    static final String TERMINAL = "c#z";

    static final int MARK_SHARDS = 4;

    private SessionKeys() {
    }

    static Map<String, AttributeValue> head(String sessionId) {
        return Items.key("s#" + sessionId, HEAD);
    }

    static Map<String, AttributeValue> gone(String sessionId) {
        return Items.key("s#" + sessionId, GONE);
    }

    /** The partition of one epoch of a session. */
    static String partition(String sessionId, String epoch) {
        return "e#" + sessionId + "#" + epoch;
    }

    /** The session id of a partition. */
    static String sessionOf(String partition) {
        return partition.substring(2, partition.lastIndexOf('#'));
    }

    static Map<String, AttributeValue> state(String partition, String key) {
        return Items.key(partition, "k#" + key);
    }

    static Map<String, AttributeValue> claim(String partition, String eventId) {
        return Items.key(partition, "i#" + eventId);
    }

    static Map<String, AttributeValue> fed(String partition) {
        return Items.key(partition, FED);
    }

    static Map<String, AttributeValue> record(String partition, long version) {
        return Items.key(partition, "c#" + Items.padded(version));
    }

    static Map<String, AttributeValue> terminal(String partition) {
        return Items.key(partition, TERMINAL);
    }

    /** The list index of every session, or of one owner's ({@code null}: the anonymous ones). */
    static String listOf(boolean all, @Nullable String principal) {
        if (all) {
            return "x#list";
        }
        return (principal != null) ? "x#owner#" + principal : "x#anonymous";
    }

    /**
     * A list entry's sort key: creation time, id, then the epoch (so that racing creators of one id never share
     * an entry) after a separator below every character of an id, so that entries sort by time, then id.
     */
    static String listSortKey(long createdAt, String sessionId, String epoch) {
        return Items.padded(createdAt) + "#" + sessionId + "\u0001" + epoch;
    }

    /** The sort key just after every entry of one session: where the page after it starts. */
    static String listCursor(long createdAt, String sessionId) {
        return Items.padded(createdAt) + "#" + sessionId + "\u0002";
    }

    /** The session id of a list entry's sort key. */
    static String sessionOfListEntry(String sortKey) {
        return sortKey.substring(sortKey.indexOf('#') + 1, sortKey.indexOf('\u0001'));
    }

    static Map<String, AttributeValue> mark(String partition) {
        return Items.key("x#mark#" + Math.floorMod(partition.hashCode(), MARK_SHARDS), partition);
    }

    static String markShard(int shard) {
        return "x#mark#" + shard;
    }

    static Map<String, AttributeValue> trash(String partition) {
        return Items.key("x#trash", partition);
    }

    static Map<String, AttributeValue> meta(String name) {
        return Items.key("x#meta", name);
    }

    /** The partition of the feed in the events table. */
    static final String FEED = "x#feed";

}
