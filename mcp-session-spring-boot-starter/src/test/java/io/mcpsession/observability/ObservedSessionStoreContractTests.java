package io.mcpsession.observability;

import java.time.Clock;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.memory.InMemorySessionStore;
import io.mcpsession.tck.SessionStoreContractTests;

/**
 * The instrumentation changes nothing a store does: the whole contract holds through it.
 */
class ObservedSessionStoreContractTests extends SessionStoreContractTests {

    @Override
    public SessionStore createStore(StoreSettings settings, Clock clock) {
        return new ObservedSessionStore(new InMemorySessionStore(settings, clock), new SimpleMeterRegistry(),
                TestObservationRegistry.create());
    }

}
