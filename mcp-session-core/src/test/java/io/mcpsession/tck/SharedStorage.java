package io.mcpsession.tck;

import java.time.Clock;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

/**
 * One storage (tables, a key prefix, …) that several store instances share, the way several application
 * instances share one database or Redis. Each instance has connections of its own.
 */
public interface SharedStorage extends AutoCloseable {

    /**
     * A new instance over this storage, as another application instance would open it.
     * @param settings the limits and retention it enforces
     * @param clock the clock it reads (the test's {@link MutableClock}, shared by every instance)
     */
    SessionStore openInstance(StoreSettings settings, Clock clock);

    /**
     * Empties the storage under the running instances, the way an operator would (every table truncated, every key
     * of the store deleted), without telling them.
     */
    void wipe();

    /** Closes the instances still open, then removes the storage (its tables, its keys). */
    @Override
    void close();

}
