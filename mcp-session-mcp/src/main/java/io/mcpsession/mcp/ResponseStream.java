package io.mcpsession.mcp;

import java.io.IOException;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.McpSessionException;

/**
 * The SDK's side of a POST's response stream: every message the request sends is appended to the session's log
 * first, then written to the client's connection while it is there. A client that went away resumes the stream from
 * the log, on any instance, while the request runs on here.
 */
final class ResponseStream implements McpStreamableServerTransport {

    private final String sessionId;

    private final String tag;

    private final StreamKey key;

    private final McpMessages messages;

    private final McpLog log;

    private final ReentrantLock lock = new ReentrantLock();

    private volatile @Nullable SseConnection connection;

    ResponseStream(String sessionId, String tag, StreamKey key, McpMessages messages, McpLog log,
            SseConnection connection) {
        this.sessionId = sessionId;
        this.tag = tag;
        this.key = key;
        this.messages = messages;
        this.log = log;
        this.connection = connection;
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
        return sendMessage(message, null);
    }

    @Override
    public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, @Nullable String messageId) {
        return Mono.fromRunnable(() -> deliver(message));
    }

    private void deliver(McpSchema.JSONRPCMessage message) {
        String json = this.messages.outgoing(this.sessionId, message);
        this.lock.lock();
        try {
            EventRecord event = (message instanceof McpSchema.JSONRPCResponse response)
                    ? appendFinal(response, json)
                    : this.log.append(this.sessionId, this.tag, json);
            SseConnection connection = this.connection;
            if (connection != null) {
                try {
                    connection.send(McpLog.frame(this.key, event));
                }
                catch (IOException ex) {
                    // The client went away: it resumes from the log; the request runs on.
                    this.connection = null;
                }
            }
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Appends the response; one larger than the store keeps ({@code mcp.session.events.max-event-bytes}) becomes
     * an error that says so, rather than a stream that never ends.
     */
    private EventRecord appendFinal(McpSchema.JSONRPCResponse response, String json) {
        try {
            return this.log.appendFinal(this.sessionId, this.tag, json);
        }
        catch (McpSessionException ex) {
            if (ex.code() != ErrorCode.PAYLOAD_TOO_LARGE) {
                throw ex;
            }
            return this.log.appendFinal(this.sessionId, this.tag, this.messages.error(response.id(),
                    McpSchema.ErrorCodes.INTERNAL_ERROR,
                    "The response is larger than the session store keeps (mcp.session.events.max-event-bytes)"));
        }
    }

    @Override
    public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
        return this.messages.convert(data, typeRef);
    }

    /**
     * Ends the client's connection while the request runs on (SEP-1699 polling): the client resumes the stream
     * from its last event id, on any instance, and finds in the log what was sent meanwhile.
     */
    void closeConnection() {
        close();
    }

    /** The request is done: its response was sent (or it failed); the connection ends. */
    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::close);
    }

    @Override
    public void close() {
        this.lock.lock();
        try {
            SseConnection connection = this.connection;
            this.connection = null;
            if (connection != null) {
                connection.end();
            }
        }
        finally {
            this.lock.unlock();
        }
    }

}
