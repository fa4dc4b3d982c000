package io.mcpsession.dynamodb;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * The store's two tables: {@code <prefix>sessions} (string sort key: sessions, state, idempotency records, the
 * session list, the feed's bookkeeping) and {@code <prefix>events} (number sort key: event log items and feed
 * entries). Both are on-demand, keyed by {@code pk} and {@code sk}, with TTL on {@code expires_at}.
 */
final class DynamoDbTables {

    private static final System.Logger logger = System.getLogger(DynamoDbTables.class.getName());

    private static final Duration ACTIVE_WAIT = Duration.ofMinutes(2);

    final String sessions;

    final String events;

    DynamoDbTables(String prefix) {
        if (!prefix.matches("[A-Za-z0-9_.-]*") || prefix.length() > 200) {
            throw new IllegalArgumentException("A table prefix holds only A-Z a-z 0-9 _ . - (at most 200)");
        }
        this.sessions = prefix + "sessions";
        this.events = prefix + "events";
    }

    /** Creates the tables that are missing and waits until both are active. */
    void create(DynamoDbClient client) {
        create(client, this.sessions, ScalarAttributeType.S);
        create(client, this.events, ScalarAttributeType.N);
        awaitActive(client, this.sessions);
        awaitActive(client, this.events);
        enableTtl(client, this.sessions);
        enableTtl(client, this.events);
    }

    /**
     * Checks that both tables exist with the expected keys.
     * @throws IllegalStateException naming what is missing and how to create it
     */
    void check(DynamoDbClient client) {
        check(client, this.sessions, ScalarAttributeType.S);
        check(client, this.events, ScalarAttributeType.N);
    }

    /** Deletes both tables (tests). */
    void drop(DynamoDbClient client) {
        for (String table : new String[] { this.sessions, this.events }) {
            try {
                client.deleteTable((request) -> request.tableName(table));
            }
            catch (ResourceNotFoundException ex) {
                // Gone already.
            }
        }
    }

    private static void create(DynamoDbClient client, String table, ScalarAttributeType sortKey) {
        try {
            client.createTable(CreateTableRequest.builder()
                .tableName(table)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName(Items.PK).attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName(Items.SK).attributeType(sortKey).build())
                .keySchema(KeySchemaElement.builder().attributeName(Items.PK).keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(Items.SK).keyType(KeyType.RANGE).build())
                .build());
            logger.log(Level.INFO, "Created DynamoDB table " + table);
        }
        catch (ResourceInUseException ex) {
            // Another instance created it, or it exists: checked below.
        }
        catch (SdkException ex) {
            throw new IllegalStateException("Cannot create DynamoDB table '" + table + "': " + ex.getMessage(), ex);
        }
    }

    private static void awaitActive(DynamoDbClient client, String table) {
        try {
            client.waiter()
                .waitUntilTableExists((request) -> request.tableName(table),
                        (config) -> config.waitTimeout(ACTIVE_WAIT)
                            // A new on-demand table is active within seconds: ask every second, not every 20.
                            .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofSeconds(1))));
        }
        catch (SdkException ex) {
            throw new IllegalStateException("DynamoDB table '" + table + "' did not become active", ex);
        }
    }

    private static void enableTtl(DynamoDbClient client, String table) {
        try {
            client.updateTimeToLive((request) -> request.tableName(table)
                .timeToLiveSpecification((spec) -> spec.attributeName(Items.TTL).enabled(true)));
        }
        catch (SdkException ex) {
            // Already enabled, or a compatible server without TTL: the sweeper removes everything on time anyway.
            logger.log(Level.DEBUG, "TTL not enabled on " + table + ": " + ex.getMessage());
        }
    }

    private static void check(DynamoDbClient client, String table, ScalarAttributeType sortKey) {
        DescribeTableResponse description;
        try {
            description = client.describeTable((request) -> request.tableName(table));
        }
        catch (ResourceNotFoundException ex) {
            throw new IllegalStateException("DynamoDB table '" + table + "' does not exist: create it (see the "
                    + "README's DynamoDB store section) or set mcp.session.store.dynamodb.create-tables=true", ex);
        }
        catch (SdkException ex) {
            throw new IllegalStateException("Cannot describe DynamoDB table '" + table + "': " + ex.getMessage(), ex);
        }
        var tableDescription = description.table();
        boolean keys = tableDescription.keySchema().size() == 2
                && tableDescription.keySchema().stream().anyMatch((key) -> key.attributeName().equals(Items.PK) && key.keyType() == KeyType.HASH)
                && tableDescription.keySchema().stream().anyMatch((key) -> key.attributeName().equals(Items.SK) && key.keyType() == KeyType.RANGE)
                && tableDescription.attributeDefinitions().stream().anyMatch((attribute) -> attribute.attributeName().equals(Items.SK)
                        && attribute.attributeType() == sortKey);
        if (!keys) {
            throw new IllegalStateException("DynamoDB table '" + table + "' does not have the store's keys: "
                    + "partition key 'pk' (S) and sort key 'sk' (" + sortKey + ")");
        }
        if (tableDescription.tableStatus() != TableStatus.ACTIVE && tableDescription.tableStatus() != TableStatus.UPDATING) {
            throw new IllegalStateException("DynamoDB table '" + table + "' is " + tableDescription.tableStatus());
        }
    }

    /** The TTL value of an item that the sweeper removes at {@code due}: a day later, as a backstop. */
    static long ttl(Instant due) {
        return due.plus(Duration.ofDays(1)).getEpochSecond();
    }

}
