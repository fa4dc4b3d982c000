package io.mcpsession.redis;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.tck.SessionStoreContractTests;

/**
 * The whole store contract against a real Redis ({@link RedisTestServer}). Each store gets a key prefix of its
 * own; its keys are deleted once the test has closed it.
 */
class RedisSessionStoreContractTests extends SessionStoreContractTests {

    private final List<String> prefixes = new CopyOnWriteArrayList<>();

    @Override
    public SessionStore createStore(StoreSettings settings, Clock clock) {
        String prefix = RedisTestServer.newKeyPrefix();
        this.prefixes.add(prefix);
        return new RedisSessionStore(RedisTestServer.connectionFactory(), settings, prefix, clock,
                PositionCheck.DEFAULT_INTERVAL, feedInline());
    }

    /** Whether the store numbers the feed inline, as on one Redis (else as on a cluster). */
    boolean feedInline() {
        return true;
    }

    @AfterEach
    void deleteKeys() {
        this.prefixes.forEach(RedisTestServer::deleteKeys);
    }

}
