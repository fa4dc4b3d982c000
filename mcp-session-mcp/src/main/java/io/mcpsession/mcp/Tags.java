package io.mcpsession.mcp;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Names minted by one instance: its own id, random per start, and stream tags that begin with it
 * ({@code <instance>-<n>}), so that a tag tells which instance runs its stream.
 */
final class Tags {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String instanceId;

    private final AtomicLong counter = new AtomicLong();

    Tags() {
        this(Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36));
    }

    Tags(String instanceId) {
        this.instanceId = instanceId;
    }

    String instanceId() {
        return this.instanceId;
    }

    /** A tag no other stream of any instance has. */
    String newTag() {
        return this.instanceId + "-" + Long.toString(this.counter.incrementAndGet(), 36);
    }

    static boolean isTag(String value) {
        int dash = value.indexOf('-');
        return dash > 0 && dash < value.length() - 1 && value.chars().allMatch(Tags::isTagChar)
                && value.indexOf('-', dash + 1) < 0;
    }

    static String instanceOf(String tag) {
        return tag.substring(0, tag.indexOf('-'));
    }

    private static boolean isTagChar(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '-';
    }

}
