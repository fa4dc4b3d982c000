package io.mcpsession.store;

/**
 * Hears that the global feed moved. Called on the thread that made the change (or the store's notification
 * thread): implementations hand real work to their own executor and return at once.
 */
@FunctionalInterface
public interface FeedListener {

    /**
     * Entries were added to the feed.
     * @param latest the feed's latest seq, or {@code -1} when the store only knows that it moved
     */
    void advanced(long latest);

}
