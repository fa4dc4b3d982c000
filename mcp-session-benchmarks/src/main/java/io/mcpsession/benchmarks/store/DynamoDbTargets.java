package io.mcpsession.benchmarks.store;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.UUID;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import io.mcpsession.dynamodb.DynamoDbSessionStore;
import io.mcpsession.testengines.TestDynamodb;

/**
 * The {@code dynamodb} targets: {@link DynamoDbSessionStore} through its API against {@link RawDynamoDbEngine},
 * on the endpoint that {@value #URL_VARIABLE} names, else the tests' DynamoDB ({@link TestDynamodb}: dynalite).
 * Each target has tables of a prefix of its own, dropped when it closes, and a client of its own whose requests
 * {@link DynamoDbRequests} counts.
 */
public final class DynamoDbTargets {

    static final String URL_VARIABLE = "MCP_SESSION_BENCH_DYNAMODB_URL";

    private DynamoDbTargets() {
    }

    /** A target with the client it sends through and the counter of that client's requests. */
    record Counted(AppendTarget target, DynamoDbRequests requests, DynamoDbClient client) {
    }

    /** The store through its API ({@code api}) or a raw conditional put ({@code raw}). */
    static AppendTarget create(boolean api) {
        return counted(api).target();
    }

    static Counted counted(boolean api) {
        DynamoDbRequests requests = new DynamoDbRequests();
        DynamoDbClient client = client(requests);
        String prefix = "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "_";
        if (!api) {
            return new Counted(new RawDynamoDbEngine(client, prefix + "events", requests::reset), requests, client);
        }
        DynamoDbSessionStore store = new DynamoDbSessionStore(client, StoreTargets.settings(), prefix,
                Clock.systemUTC(), DynamoDbSessionStore.DEFAULT_POLL_INTERVAL, true);
        return new Counted(new StoreApiTarget(store, () -> drop(client, store.tableNames())), requests, client);
    }

    /** The benchmark's DynamoDB endpoint. */
    public static String url() {
        return StoreTargets.location(URL_VARIABLE, TestDynamodb::url);
    }

    private static DynamoDbClient client(DynamoDbRequests requests) {
        URI endpoint = URI.create(url());
        // A local server takes any credentials; AWS itself, the SDK's default chain.
        AwsCredentialsProvider credentials = DynamoDbSessionStore.createTablesByDefault(endpoint)
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench"))
                : DefaultCredentialsProvider.builder().build();
        return DynamoDbClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(credentials)
            .overrideConfiguration((config) -> config.addExecutionInterceptor(requests))
            .build();
    }

    /** Drops tables, then closes the client. */
    static void drop(DynamoDbClient client, List<String> tables) {
        try {
            for (String table : tables) {
                try {
                    client.deleteTable((request) -> request.tableName(table));
                }
                catch (ResourceNotFoundException ex) {
                    // Gone already.
                }
            }
        }
        finally {
            client.close();
        }
    }

}
