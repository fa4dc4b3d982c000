package com.example.store;

import java.time.Clock;

import org.junit.jupiter.api.Test;

import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.memory.InMemorySessionStore;
import io.mcpsession.tck.SessionStoreContractTests;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole store contract against a store written outside the project, with nothing on the test class path but
 * {@code mcp-session-tck}: what WRITING-A-STORE.md tells a store's author to do.
 */
class AuditedSessionStoreContractTests extends SessionStoreContractTests {

    @Override
    public SessionStore createStore(StoreSettings settings, Clock clock) {
        return new AuditedSessionStore(new InMemorySessionStore(settings, clock));
    }

    @Test
    void itCountsTheWritesItPassesOn() {
        try (AuditedSessionStore store = (AuditedSessionStore) createStore(StoreSettings.defaults(),
                Clock.systemUTC())) {
            store.create(NewSession.withId("audited"));
            store.append("audited", NewEvent.of("message", "1"));
            store.append("audited", NewEvent.of("message", "2"));
            assertThat(store.writes("create")).isEqualTo(1);
            assertThat(store.writes("append")).isEqualTo(2);
            assertThat(store.writes("delete")).isZero();
        }
    }

}
