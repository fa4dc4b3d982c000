package io.mcpsession.benchmarks.store;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import io.mcpsession.core.NewEvent;

/**
 * The baseline of the DynamoDB store: one conditional {@code PutItem} ({@code attribute_not_exists(pk)}) per
 * append of the log item the store writes for one event (README, "DynamoDB store": {@code pk} the session's
 * partition, {@code sk} the seq, {@code count}, {@code events} a list of one map of id, type, data, meta and time,
 * {@code expires_at}), into a table with the store's events table's keys. The seq and the ids are kept in memory
 * under a per-session lock; a failed condition (another writer took the seq) reads the log's newest item and
 * tries the next seq. No session head, no claims, no window read, no feed mark, no activity update.
 */
public final class RawDynamoDbEngine implements AppendTarget {

    private static final Duration EVENT_TTL = Duration.ofDays(1);

    private final DynamoDbClient client;

    private final String table;

    private final Runnable afterSetup;

    private final String epoch = UUID.randomUUID().toString().substring(0, 8);

    private final Map<String, Log> logs = new ConcurrentHashMap<>();

    private volatile boolean measuring;

    private static final class Log {

        final String partition;

        long latest;

        final Map<String, Long> ids = new HashMap<>();

        Log(String partition) {
            this.partition = partition;
        }

    }

    /**
     * @param afterSetup called before the first append (resets the request counter)
     */
    RawDynamoDbEngine(DynamoDbClient client, String table, Runnable afterSetup) {
        this.client = client;
        this.table = table;
        this.afterSetup = afterSetup;
        client.createTable((request) -> request.tableName(table)
            .billingMode(BillingMode.PAY_PER_REQUEST)
            .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                    AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build())
            .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                    KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build()));
        client.waiter().waitUntilTableExists((request) -> request.tableName(table));
    }

    @Override
    public void createSession(String sessionId) {
        this.logs.put(sessionId, new Log("e#" + sessionId + "#" + this.epoch));
    }

    @Override
    public long append(String sessionId, String eventId, String type, String data) {
        if (!this.measuring) {
            this.measuring = true;
            this.afterSetup.run();
        }
        Log log = this.logs.get(sessionId);
        synchronized (log) {
            Long original = log.ids.get(eventId);
            if (original != null) {
                return original;
            }
            NewEvent event = NewEvent.of(eventId, type, data);
            Instant now = Instant.now();
            while (true) {
                long seq = log.latest + 1;
                Map<String, AttributeValue> member = new HashMap<>();
                member.put("id", AttributeValue.fromS(eventId));
                member.put("type", AttributeValue.fromS(event.typeOrDefault()));
                member.put("data", AttributeValue.fromS(event.data()));
                member.put("meta", AttributeValue.fromS(event.metadataOrEmpty()));
                member.put("at", AttributeValue.fromN(Long.toString(now.toEpochMilli())));
                Map<String, AttributeValue> item = new HashMap<>();
                item.put("pk", AttributeValue.fromS(log.partition));
                item.put("sk", AttributeValue.fromN(Long.toString(seq)));
                item.put("count", AttributeValue.fromN("1"));
                item.put("events", AttributeValue.fromL(List.of(AttributeValue.fromM(member))));
                item.put("expires_at", AttributeValue.fromN(Long.toString(now.plus(EVENT_TTL).getEpochSecond())));
                try {
                    this.client.putItem((request) -> request.tableName(this.table)
                        .item(item)
                        .returnValues(ReturnValue.ALL_OLD)
                        .conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", "pk")));
                    log.latest = seq;
                    log.ids.put(eventId, seq);
                    return seq;
                }
                catch (ConditionalCheckFailedException ex) {
                    QueryResponse top = this.client.query((request) -> request.tableName(this.table)
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", "pk"))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(log.partition)))
                        .scanIndexForward(false)
                        .limit(1));
                    log.latest = top.items().isEmpty() ? log.latest
                            : Long.parseLong(top.items().get(0).get("sk").n());
                }
            }
        }
    }

    @Override
    public long readAll(String sessionId) {
        throw new UnsupportedOperationException("The dynamodb targets measure appends only");
    }

    @Override
    public void close() {
        DynamoDbTargets.drop(this.client, List.of(this.table));
    }

}
