package io.mcpsession.dynamodb;

import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveResponse;
import software.amazon.awssdk.services.dynamodb.waiters.DynamoDbWaiter;

/**
 * A client that passes every request of the store to a real one, and lets a test decide what happens around
 * each: fail it before it is sent, or after it took effect (its answer lost, as when the writer dies).
 */
final class ScriptedClient implements DynamoDbClient {

    /** What a test does around each request. */
    interface Script {

        /** Called before a request is sent; throwing keeps it from the server. */
        default void before(Object request) {
        }

        /** Called after a request took effect; throwing loses its answer. */
        default void after(Object request) {
        }

    }

    private final DynamoDbClient delegate;

    private volatile Script script = new Script() {
    };

    final AtomicInteger calls = new AtomicInteger();

    ScriptedClient(DynamoDbClient delegate) {
        this.delegate = delegate;
    }

    void script(Script script) {
        this.script = script;
    }

    private <T> T around(Object request, java.util.function.Supplier<T> call) {
        this.calls.incrementAndGet();
        Script current = this.script;
        current.before(request);
        T response = call.get();
        current.after(request);
        return response;
    }

    @Override
    public GetItemResponse getItem(GetItemRequest request) {
        return around(request, () -> this.delegate.getItem(request));
    }

    @Override
    public PutItemResponse putItem(PutItemRequest request) {
        return around(request, () -> this.delegate.putItem(request));
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest request) {
        return around(request, () -> this.delegate.updateItem(request));
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest request) {
        return around(request, () -> this.delegate.deleteItem(request));
    }

    @Override
    public QueryResponse query(QueryRequest request) {
        return around(request, () -> this.delegate.query(request));
    }

    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest request) {
        return around(request, () -> this.delegate.batchGetItem(request));
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest request) {
        return around(request, () -> this.delegate.batchWriteItem(request));
    }

    @Override
    public CreateTableResponse createTable(CreateTableRequest request) {
        return around(request, () -> this.delegate.createTable(request));
    }

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest request) {
        return around(request, () -> this.delegate.describeTable(request));
    }

    @Override
    public DeleteTableResponse deleteTable(DeleteTableRequest request) {
        return around(request, () -> this.delegate.deleteTable(request));
    }

    @Override
    public UpdateTimeToLiveResponse updateTimeToLive(UpdateTimeToLiveRequest request) {
        return around(request, () -> this.delegate.updateTimeToLive(request));
    }

    @Override
    public DynamoDbWaiter waiter() {
        return this.delegate.waiter();
    }

    @Override
    public String serviceName() {
        return this.delegate.serviceName();
    }

    @Override
    public void close() {
        // The delegate is shared.
    }

}
