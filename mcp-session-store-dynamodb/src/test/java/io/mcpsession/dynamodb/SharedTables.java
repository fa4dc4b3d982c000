package io.mcpsession.dynamodb;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.tck.SharedStorage;

/**
 * Tables of their own on the test DynamoDB, shared by several store instances the way application instances
 * share them: each instance has its own client. Closing closes the instances and drops the tables.
 */
final class SharedTables implements SharedStorage {

    private final String prefix = TestStores.newPrefix();

    private final DynamoDbTables tables = new DynamoDbTables(this.prefix);

    private final List<DynamoDbSessionStore> stores = new ArrayList<>();

    private final List<DynamoDbClient> clients = new ArrayList<>();

    SharedTables() {
        this.tables.create(TestStores.client());
    }

    @Override
    public synchronized SessionStore openInstance(StoreSettings settings, Clock clock) {
        DynamoDbClient client = TestStores.newClient();
        this.clients.add(client);
        DynamoDbSessionStore store = new DynamoDbSessionStore(client, settings, this.prefix, clock,
                TestStores.POLL_INTERVAL);
        this.stores.add(store);
        return store;
    }

    /**
     * Deletes every item of both tables, as an operator empties a DynamoDB table (it has no {@code TRUNCATE}): a
     * scan, then batched deletes of what it found.
     */
    @Override
    public void wipe() {
        DynamoDbClient client = TestStores.client();
        for (String table : List.of(this.tables.sessions, this.tables.events)) {
            Map<String, AttributeValue> start = null;
            do {
                Map<String, AttributeValue> from = start;
                ScanResponse page = client.scan((request) -> request.tableName(table)
                    .projectionExpression("pk, sk")
                    .exclusiveStartKey(from));
                List<WriteRequest> deletes = new ArrayList<>();
                for (Map<String, AttributeValue> item : page.items()) {
                    deletes.add(WriteRequest.builder()
                        .deleteRequest(DeleteRequest.builder().key(new HashMap<>(item)).build())
                        .build());
                }
                for (int i = 0; i < deletes.size(); i += 25) {
                    Map<String, List<WriteRequest>> unprocessed = Map.of(table,
                            deletes.subList(i, Math.min(deletes.size(), i + 25)));
                    while (!unprocessed.isEmpty()) {
                        Map<String, List<WriteRequest>> batch = unprocessed;
                        unprocessed = client.batchWriteItem((request) -> request.requestItems(batch))
                            .unprocessedItems();
                    }
                }
                start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey()
                        : null;
            }
            while (start != null);
        }
    }

    @Override
    public synchronized void close() {
        this.stores.forEach(DynamoDbSessionStore::close);
        this.clients.forEach(DynamoDbClient::close);
        this.tables.drop(TestStores.client());
    }

}
