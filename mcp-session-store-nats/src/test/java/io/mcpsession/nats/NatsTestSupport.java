package io.mcpsession.nats;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import io.mcpsession.store.StoreSettings;
import io.mcpsession.testengines.TestNats;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

/**
 * The connection of the tests (one per JVM) and stores on it, each under a prefix of its own.
 */
final class NatsTestSupport {

    private static Connection connection;

    private NatsTestSupport() {
    }

    static synchronized Connection connection() {
        if (connection == null) {
            connection = connect(TestNats.url());
        }
        return connection;
    }

    static Connection connect(String url) {
        try {
            return Nats.connect(new Options.Builder().server(url)
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(200))
                .connectionTimeout(Duration.ofSeconds(5))
                .build());
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot connect to the test NATS", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    static String newPrefix() {
        return "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    static NatsSessionStore newStore(Connection connection, String prefix, StoreSettings settings, Clock clock) {
        return new NatsSessionStore(connection, settings, prefix, clock, Duration.ofMillis(500));
    }

}
