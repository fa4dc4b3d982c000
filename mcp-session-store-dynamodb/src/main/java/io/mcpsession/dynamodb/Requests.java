package io.mcpsession.dynamodb;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The store's requests, each one single-item or a plain batch, each through {@link DynamoDbFailures}. Expression
 * attribute names are written {@code #name} and mapped to {@code name}, so that no attribute can clash with a
 * reserved word.
 */
final class Requests {

    private static final Pattern NAME = Pattern.compile("#(\\w+)");

    private static final int BATCH_GET = 100;

    private static final int BATCH_WRITE = 25;

    private final DynamoDbClient client;

    Requests(DynamoDbClient client) {
        this.client = client;
    }

    DynamoDbClient client() {
        return this.client;
    }

    /** The item, strongly consistent, or an empty map. */
    Map<String, AttributeValue> get(String table, Map<String, AttributeValue> key) {
        return DynamoDbFailures.call(() -> this.client
            .getItem((request) -> request.tableName(table).key(key).consistentRead(true))
            .item());
    }

    /**
     * Puts an item.
     * @return whether the condition held (always, without one)
     */
    boolean put(String table, Map<String, AttributeValue> item, @Nullable String condition,
            Map<String, AttributeValue> values) {
        return putReturningOld(table, item, condition, values) != null;
    }

    /** Puts an item; the item it replaced (empty when none), or {@code null} when the condition failed. */
    @Nullable Map<String, AttributeValue> putReturningOld(String table, Map<String, AttributeValue> item,
            @Nullable String condition, Map<String, AttributeValue> values) {
        try {
            return DynamoDbFailures.call(() -> this.client.putItem((request) -> {
                request.tableName(table).item(item).returnValues(ReturnValue.ALL_OLD);
                if (condition != null) {
                    request.conditionExpression(condition);
                    names(condition).ifPresent(request::expressionAttributeNames);
                    if (!values.isEmpty()) {
                        request.expressionAttributeValues(values);
                    }
                }
            }).attributes());
        }
        catch (ConditionalCheckFailedException ex) {
            return null;
        }
    }

    /** Updates an item; its new attributes, or {@code null} when the condition failed. */
    @Nullable Map<String, AttributeValue> update(String table, Map<String, AttributeValue> key, String update,
            @Nullable String condition, Map<String, AttributeValue> values) {
        try {
            return DynamoDbFailures.call(() -> this.client.updateItem((request) -> {
                request.tableName(table).key(key).updateExpression(update).returnValues(ReturnValue.ALL_NEW);
                String all = (condition != null) ? update + " " + condition : update;
                if (condition != null) {
                    request.conditionExpression(condition);
                }
                names(all).ifPresent(request::expressionAttributeNames);
                if (!values.isEmpty()) {
                    request.expressionAttributeValues(values);
                }
            }).attributes());
        }
        catch (ConditionalCheckFailedException ex) {
            return null;
        }
    }

    /** Deletes an item; the item deleted (empty when none), or {@code null} when the condition failed. */
    @Nullable Map<String, AttributeValue> delete(String table, Map<String, AttributeValue> key,
            @Nullable String condition, Map<String, AttributeValue> values) {
        try {
            return DynamoDbFailures.call(() -> this.client.deleteItem((request) -> {
                request.tableName(table).key(key).returnValues(ReturnValue.ALL_OLD);
                if (condition != null) {
                    request.conditionExpression(condition);
                    names(condition).ifPresent(request::expressionAttributeNames);
                    if (!values.isEmpty()) {
                        request.expressionAttributeValues(values);
                    }
                }
            }).attributes());
        }
        catch (ConditionalCheckFailedException ex) {
            return null;
        }
    }

    /** One page of a strongly consistent query. */
    QueryResponse query(String table, String keyCondition, Map<String, AttributeValue> values, boolean forward,
            int limit, @Nullable Map<String, AttributeValue> startKey) {
        QueryRequest.Builder request = QueryRequest.builder()
            .tableName(table)
            .keyConditionExpression(keyCondition)
            .expressionAttributeValues(values)
            .scanIndexForward(forward)
            .consistentRead(true)
            .limit(limit);
        names(keyCondition).ifPresent(request::expressionAttributeNames);
        if (startKey != null && !startKey.isEmpty()) {
            request.exclusiveStartKey(startKey);
        }
        QueryRequest built = request.build();
        return DynamoDbFailures.call(() -> this.client.query(built));
    }

    /** Every item of a strongly consistent query, page by page. */
    List<Map<String, AttributeValue>> queryAll(String table, String keyCondition, Map<String, AttributeValue> values,
            boolean forward) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = query(table, keyCondition, values, forward, 500, start);
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
        }
        while (start != null && !start.isEmpty());
        return items;
    }

    /** The items of {@code keys} (strongly consistent) that exist, in no particular order. */
    List<Map<String, AttributeValue>> batchGet(String table, List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int from = 0; from < keys.size(); from += BATCH_GET) {
            Map<String, KeysAndAttributes> pending = Map.of(table, KeysAndAttributes.builder()
                .keys(keys.subList(from, Math.min(keys.size(), from + BATCH_GET)))
                .consistentRead(true)
                .build());
            while (!pending.isEmpty()) {
                Map<String, KeysAndAttributes> asked = pending;
                BatchGetItemResponse response = DynamoDbFailures
                    .call(() -> this.client.batchGetItem((request) -> request.requestItems(asked)));
                items.addAll(response.responses().getOrDefault(table, List.of()));
                pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
            }
        }
        return items;
    }

    /** Puts items without conditions, 25 a request. */
    void batchPut(String table, List<Map<String, AttributeValue>> items) {
        batchWrite(table, items.stream().map((item) -> WriteRequest.builder()
            .putRequest(PutRequest.builder().item(item).build())
            .build()).toList());
    }

    /** Deletes items by key, 25 a request. */
    void batchDelete(String table, List<Map<String, AttributeValue>> keys) {
        batchWrite(table, keys.stream().map((key) -> WriteRequest.builder()
            .deleteRequest(DeleteRequest.builder().key(key).build())
            .build()).toList());
    }

    private void batchWrite(String table, List<WriteRequest> writes) {
        for (int from = 0; from < writes.size(); from += BATCH_WRITE) {
            Map<String, List<WriteRequest>> pending = Map.of(table,
                    writes.subList(from, Math.min(writes.size(), from + BATCH_WRITE)));
            int rounds = 0;
            while (!pending.isEmpty()) {
                Map<String, List<WriteRequest>> asked = pending;
                var response = DynamoDbFailures
                    .call(() -> this.client.batchWriteItem((request) -> request.requestItems(asked)));
                pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
                if (!pending.isEmpty() && ++rounds > 50) {
                    throw DynamoDbFailures.unavailable(software.amazon.awssdk.core.exception.SdkClientException
                        .create("Unprocessed batch writes after 50 rounds"));
                }
            }
        }
    }

    static java.util.Optional<Map<String, String>> names(String expression) {
        Matcher matcher = NAME.matcher(expression);
        Map<String, String> names = new HashMap<>();
        while (matcher.find()) {
            names.put("#" + matcher.group(1), matcher.group(1));
        }
        return names.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(names);
    }

}
