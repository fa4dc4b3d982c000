package io.mcpsession.nats;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.tck.SessionStoreContractTests;

/**
 * The whole store contract against NATS JetStream: every store under a prefix of its own, whose streams and
 * buckets go when the test closes it.
 */
class NatsSessionStoreContractTests extends SessionStoreContractTests {

    @Override
    public SessionStore createStore(StoreSettings settings, Clock clock) {
        NatsSessionStore store = NatsTestSupport.newStore(NatsTestSupport.connection(), NatsTestSupport.newPrefix(),
                settings, clock);
        // close() also deletes the store's streams and buckets, so that the tests leave nothing behind.
        return (SessionStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { SessionStore.class },
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        store.deleteEverything();
                        return null;
                    }
                    try {
                        return method.invoke(store, args);
                    }
                    catch (InvocationTargetException ex) {
                        throw ex.getCause();
                    }
                });
    }

}
