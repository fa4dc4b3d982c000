package io.mcpsession.nats;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.tck.MultiInstanceContractTests;
import io.mcpsession.tck.SharedStorage;
import io.mcpsession.testengines.TestNats;

/**
 * The multi-instance contract against the tests' NATS ({@link TestNats}): instances share a prefix of the test's
 * own, each on a connection of its own.
 */
class NatsMultiInstanceContractTests extends MultiInstanceContractTests {

    @Override
    public SharedStorage createSharedStorage() {
        return new SharedPrefix();
    }

    /** One prefix of streams and buckets; a wipe deletes them all under the running instances, as an operator would. */
    static final class SharedPrefix implements SharedStorage {

        private final String prefix = NatsTestSupport.newPrefix();

        private final List<NatsSessionStore> stores = new ArrayList<>();

        private final List<Connection> connections = new ArrayList<>();

        @Override
        public synchronized SessionStore openInstance(StoreSettings settings, Clock clock) {
            Connection connection = NatsTestSupport.connect(TestNats.url());
            this.connections.add(connection);
            NatsSessionStore store = NatsTestSupport.newStore(connection, this.prefix, settings, clock);
            this.stores.add(store);
            return store;
        }

        @Override
        public void wipe() {
            try {
                JetStreamManagement streams = NatsTestSupport.connection().jetStreamManagement();
                for (String name : streams.getStreamNames()) {
                    if (name.startsWith(this.prefix + "_") || name.startsWith("KV_" + this.prefix + "_")) {
                        streams.deleteStream(name);
                    }
                }
            }
            catch (IOException | JetStreamApiException ex) {
                throw new IllegalStateException("Could not wipe the test's streams", ex);
            }
        }

        @Override
        public synchronized void close() {
            this.stores.forEach(NatsSessionStore::close);
            wipe();
            for (Connection connection : this.connections) {
                try {
                    connection.close();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }

    }

}
