package io.mcpsession.store;

/**
 * What one sweep removed.
 *
 * @param expiredSessions sessions removed because they expired
 * @param evictedEvents events removed by retention (count and TTL)
 * @param evictedFeedEntries feed entries removed by retention
 */
public record SweepResult(long expiredSessions, long evictedEvents, long evictedFeedEntries) {

    /** A sweep that removed nothing. */
    public static final SweepResult EMPTY = new SweepResult(0, 0, 0);

    /** The sum of two sweeps. */
    public SweepResult plus(SweepResult other) {
        return new SweepResult(this.expiredSessions + other.expiredSessions, this.evictedEvents + other.evictedEvents,
                this.evictedFeedEntries + other.evictedFeedEntries);
    }

    /** Everything removed. */
    public long total() {
        return this.expiredSessions + this.evictedEvents + this.evictedFeedEntries;
    }

}
