package io.mcpsession.dynamodb;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.testengines.TestDynamodb;

/**
 * Stores on the test DynamoDB, each on tables of its own (a random prefix) that its {@code close()} drops.
 */
public final class TestStores {

    /** The poll interval of the tests' stores: short, so that cross-instance waits end soon. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private static DynamoDbClient client;

    private TestStores() {
    }

    /** The client of the test DynamoDB (any credentials do for a local server). */
    public static synchronized DynamoDbClient client() {
        if (client == null) {
            client = newClient();
        }
        return client;
    }

    /** A client of its own on the test DynamoDB, as another application instance would have; the caller closes it. */
    public static DynamoDbClient newClient() {
        return DynamoDbClient.builder()
            .endpointOverride(URI.create(TestDynamodb.url()))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build();
    }

    /** A fresh table prefix. */
    public static String newPrefix() {
        return "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "_";
    }

    /** A store on new tables, dropped when it closes. */
    public static SessionStore create(StoreSettings settings, Clock clock) {
        String prefix = newPrefix();
        DynamoDbSessionStore store = new DynamoDbSessionStore(client(), settings, prefix, clock, POLL_INTERVAL, true);
        return droppingTablesOnClose(store, prefix);
    }

    /** Wraps a store so that closing it also drops the tables of {@code prefix}. */
    public static SessionStore droppingTablesOnClose(SessionStore store, String prefix) {
        return (SessionStore) Proxy.newProxyInstance(TestStores.class.getClassLoader(),
                new Class<?>[] { SessionStore.class }, (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(store, args);
                        if (method.getName().equals("close")) {
                            new DynamoDbTables(prefix).drop(client());
                        }
                        return result;
                    }
                    catch (InvocationTargetException ex) {
                        throw ex.getCause();
                    }
                });
    }

}
