package io.mcpsession.benchmarks.store;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Counts the requests a DynamoDB client sends, by operation, and the capacity units the server reports for them:
 * it asks for {@code ReturnConsumedCapacity=TOTAL} on every item and query request, so that nothing else in the
 * request changes. Write units are those of PutItem, UpdateItem, DeleteItem and BatchWriteItem.
 */
final class DynamoDbRequests implements ExecutionInterceptor {

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();

    private final DoubleAdder writeUnits = new DoubleAdder();

    private final DoubleAdder readUnits = new DoubleAdder();

    /** Writes whose response carried no consumed capacity (a server that does not report it). */
    private final LongAdder unreportedWrites = new LongAdder();

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        ReturnConsumedCapacity total = ReturnConsumedCapacity.TOTAL;
        if (request instanceof PutItemRequest put) {
            return put.toBuilder().returnConsumedCapacity(total).build();
        }
        if (request instanceof UpdateItemRequest update) {
            return update.toBuilder().returnConsumedCapacity(total).build();
        }
        if (request instanceof DeleteItemRequest delete) {
            return delete.toBuilder().returnConsumedCapacity(total).build();
        }
        if (request instanceof BatchWriteItemRequest batch) {
            return batch.toBuilder().returnConsumedCapacity(total).build();
        }
        if (request instanceof GetItemRequest get) {
            return get.toBuilder().returnConsumedCapacity(total).build();
        }
        if (request instanceof BatchGetItemRequest batch) {
            return batch.toBuilder().returnConsumedCapacity(total).build();
        }
        if (request instanceof QueryRequest query) {
            return query.toBuilder().returnConsumedCapacity(total).build();
        }
        return request;
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        this.requests.computeIfAbsent(operation, (name) -> new LongAdder()).increment();
        Object response = context.response();
        if (response instanceof PutItemResponse put) {
            write(put.consumedCapacity());
        }
        else if (response instanceof UpdateItemResponse update) {
            write(update.consumedCapacity());
        }
        else if (response instanceof DeleteItemResponse delete) {
            write(delete.consumedCapacity());
        }
        else if (response instanceof BatchWriteItemResponse batch) {
            if (batch.hasConsumedCapacity() && !batch.consumedCapacity().isEmpty()) {
                batch.consumedCapacity().forEach(this::write);
            }
            else {
                this.unreportedWrites.increment();
            }
        }
        else if (response instanceof GetItemResponse get) {
            read(get.consumedCapacity());
        }
        else if (response instanceof QueryResponse query) {
            read(query.consumedCapacity());
        }
        else if (response instanceof BatchGetItemResponse batch && batch.hasConsumedCapacity()) {
            batch.consumedCapacity().forEach(this::read);
        }
    }

    /**
     * A conditional write that failed still consumes write units, but its response is an error, which the SDK
     * reports through {@code onExecutionFailure}: counted as a request here, its units are not reported.
     */
    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        this.requests.computeIfAbsent(operation + " (failed)", (name) -> new LongAdder()).increment();
    }

    private void write(ConsumedCapacity capacity) {
        if (capacity != null && capacity.capacityUnits() != null) {
            this.writeUnits.add(capacity.capacityUnits());
        }
        else {
            this.unreportedWrites.increment();
        }
    }

    private void read(ConsumedCapacity capacity) {
        if (capacity != null && capacity.capacityUnits() != null) {
            this.readUnits.add(capacity.capacityUnits());
        }
    }

    /** Forgets everything counted so far (the setup's requests). */
    void reset() {
        this.requests.clear();
        this.writeUnits.reset();
        this.readUnits.reset();
        this.unreportedWrites.reset();
    }

    /** Requests by operation, in name order. */
    Map<String, Long> byOperation() {
        Map<String, Long> counts = new TreeMap<>();
        this.requests.forEach((operation, count) -> counts.put(operation, count.sum()));
        return counts;
    }

    long total() {
        return this.requests.values().stream().mapToLong(LongAdder::sum).sum();
    }

    double writeUnits() {
        return this.writeUnits.sum();
    }

    double readUnits() {
        return this.readUnits.sum();
    }

    long unreportedWrites() {
        return this.unreportedWrites.sum();
    }

}
