package io.mcpsession.redis;

import java.util.ArrayList;
import java.util.List;

import org.springframework.util.Assert;

/**
 * The key layout of the Redis store. Every key starts with the configured prefix and the schema version
 * ({@code mcp:v1:}), then a cluster hash tag:
 * <ul>
 * <li>{@code {<session id>}} on every key of one session ({@code meta}, {@code events}, {@code ids},
 * {@code state}, {@code fq}, {@code fqn}), so that a Redis Cluster keeps a session on one slot and each of its
 * scripts touches one slot. A {@code {} or {@code }} in the id is written {@code %7B}/{@code %7D}, and a
 * {@code %} (which valid ids never hold) {@code %25}, so that the escaping is one-to-one for any string: an id
 * {@code a%7Bb} can never name the keys of {@code a{b}, and the tag always spans exactly the id;</li>
 * <li>{@code {%g}} on the store-wide keys (the session registry, the feed, the leases). No escaped session id can
 * be {@code %g}, so they never share a tag with a session.</li>
 * </ul>
 */
final class RedisKeys {

    static final String SCHEMA = "v1:";

    private final String prefix;

    private final String global;

    RedisKeys(String keyPrefix) {
        Assert.isTrue(keyPrefix.indexOf('{') < 0 && keyPrefix.indexOf('}') < 0,
                "The Redis key prefix cannot hold '{' or '}': they would change the keys' cluster hash tags");
        this.prefix = keyPrefix + SCHEMA;
        this.global = this.prefix + "{%g}:";
    }

    /** The hash tag of a session: its id with braces escaped. */
    static String tag(String sessionId) {
        return "{" + sessionId.replace("%", "%25").replace("{", "%7B").replace("}", "%7D") + "}";
    }

    /** The keys of one session, in the order every session script declares them. */
    List<String> session(String sessionId) {
        String base = this.prefix + tag(sessionId) + ":";
        return List.of(base + "meta", base + "events", base + "ids", base + "state", base + "fq", base + "fqn");
    }

    /**
     * The keys of one session, then the feed's {@code feed}, {@code feedlog} and {@code cursor}: for a session
     * script that numbers feed entries itself, on one Redis (they are on different cluster slots).
     */
    List<String> sessionAndFeed(String sessionId) {
        List<String> keys = new ArrayList<>(session(sessionId));
        keys.addAll(feed().subList(0, 3));
        return keys;
    }

    /** The metadata hash of one session (its members and its log's position). */
    String meta(String sessionId) {
        return this.prefix + tag(sessionId) + ":meta";
    }

    /** The feed queue of one session (a list of entries waiting for the sequencer). */
    String feedQueue(String sessionId) {
        return this.prefix + tag(sessionId) + ":fq";
    }

    /** The keys of the session registry, in the order its scripts declare them. */
    List<String> registry() {
        return List.of(sessions(), this.global + "reg", created(), owned(), this.global + "tomb",
                this.global + "tomb-order");
    }

    /** Sessions holding a max-sessions slot, scored by when the sweeper next visits them. */
    String sessions() {
        return this.global + "sessions";
    }

    /** Registrations: session id to its token, creation time and principal. */
    String registrations() {
        return this.global + "reg";
    }

    /** Tombstones of removed sessions: session id to its creation time and principal. */
    String tombstones() {
        return this.global + "tomb";
    }

    /** Every registered session in list order. */
    String created() {
        return this.global + "created";
    }

    /** Every registered session in list order within its owner. */
    String owned() {
        return this.global + "owned";
    }

    /** The keys of the feed, in the order its scripts declare them. */
    List<String> feed() {
        return List.of(this.global + "feed", this.global + "feedlog", this.global + "cursor",
                this.global + "lease:feed", dirty(), this.global + "dirty-seq");
    }

    /** Sessions whose queued feed entries wait for the sequencer. */
    String dirty() {
        return this.global + "dirty";
    }

    /** The sequencer's lease. */
    String feedLease() {
        return this.global + "lease:feed";
    }

    /** The sweeper's lease. */
    String sweepLease() {
        return this.global + "lease:sweep";
    }

    /** The pub/sub channel of wake-up hints between instances. */
    String channel() {
        return this.prefix + "wake";
    }

    /** Where the store's keys are, for logs: the prefix with the schema version. */
    String prefix() {
        return this.prefix;
    }

}
