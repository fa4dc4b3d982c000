package io.mcpsession.benchmarks.store;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

import io.mcpsession.nats.NatsSessionStore;
import io.mcpsession.testengines.TestNats;

/**
 * The {@code nats} targets: {@link NatsSessionStore} through its API against {@link RawNatsEngine}, on the NATS
 * that {@value #URL_VARIABLE} names, else the tests' NATS ({@link TestNats}: the default local port). Each target
 * works under a prefix of its own (streams and buckets) and deletes everything under it when closed
 * ({@link NatsSessionStore#deleteEverything()}).
 */
public final class NatsTargets {

    static final String URL_VARIABLE = "MCP_SESSION_BENCH_NATS_URL";

    private NatsTargets() {
    }

    /** The store through its API ({@code api}) or the same publish raw ({@code raw}). */
    static AppendTarget create(boolean api) {
        Connection connection = connect(url());
        String prefix = newPrefix();
        // The store creates the streams and buckets; the raw engine publishes into the same events stream.
        NatsSessionStore store = new NatsSessionStore(connection, StoreTargets.settings(), prefix, Clock.systemUTC());
        Runnable release = () -> {
            try {
                store.deleteEverything();
            }
            finally {
                closeQuietly(connection);
            }
        };
        if (!api) {
            store.close();
            return new RawNatsEngine(connection, prefix, release);
        }
        return new StoreApiTarget(store, release);
    }

    /** A fresh prefix of streams, buckets and subjects, so that runs never share them. */
    public static String newPrefix() {
        return "BENCH_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** The benchmark's NATS, as a {@code nats://} URL. */
    public static String url() {
        return StoreTargets.location(URL_VARIABLE, TestNats::url);
    }

    static Connection connect(String url) {
        try {
            return Nats.connect(new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(5)).build());
        }
        catch (IOException ex) {
            throw new IllegalStateException("Cannot connect to NATS at " + url, ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

}
