package io.mcpsession.store.memory;

import java.time.Clock;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.tck.SessionStoreContractTests;

/**
 * The store contract against {@link InMemorySessionStore}.
 */
class InMemorySessionStoreContractTests extends SessionStoreContractTests {

    @Override
    public SessionStore createStore(StoreSettings settings, Clock clock) {
        return new InMemorySessionStore(settings, clock);
    }

}
