package io.mcpsession.tck;

import java.time.Clock;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

/**
 * Creates the store under test. Every store of a contract test is created here, so a backend that needs a fresh
 * namespace (schema, table prefix, key prefix) per store can give each one its own.
 */
@FunctionalInterface
public interface StoreFactory {

    /**
     * A new, empty store.
     * @param settings the limits and retention it enforces
     * @param clock the clock it reads (a {@link MutableClock} that only moves when the test moves it)
     */
    SessionStore createStore(StoreSettings settings, Clock clock);

}
