package io.mcpsession.mcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * JSON-RPC messages in and out. Requests the server sends to a client get ids that name this instance
 * ({@code <instance>~<sdk id>}): the SDK numbers them per session object from 0 on every instance, so the bare ids
 * would collide, and the client's response must find its way back to the instance where the request waits.
 */
final class McpMessages {

    private static final char SEPARATOR = '~';

    private final McpJsonMapper json;

    private final String instanceId;

    private final ClientResponses clientResponses;

    McpMessages(McpJsonMapper json, String instanceId, ClientResponses clientResponses) {
        this.json = json;
        this.instanceId = instanceId;
        this.clientResponses = clientResponses;
    }

    McpJsonMapper json() {
        return this.json;
    }

    /** A message the server sends in a session, as JSON, with a server request's id made routable. */
    String outgoing(String sessionId, McpSchema.JSONRPCMessage message) {
        if (message instanceof McpSchema.JSONRPCRequest request) {
            this.clientResponses.expect(sessionId);
            message = new McpSchema.JSONRPCRequest(request.jsonrpc(), request.method(),
                    this.instanceId + SEPARATOR + request.id(), request.params());
        }
        return write(message);
    }

    String write(Object value) {
        try {
            return this.json.writeValueAsString(value);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    McpSchema.JSONRPCMessage read(String text) throws IOException {
        return McpSchema.deserializeJsonRpcMessage(this.json, text);
    }

    <T> T convert(Object data, TypeRef<T> type) {
        return this.json.convertValue(data, type);
    }

    /**
     * The error that ends a response stream whose owner instance died before it answered: the request's id is
     * taken from the stream's key (where it is base64url JSON, which a client may have forged: anything but a
     * string or a number becomes {@code null}).
     */
    String ownerGoneError(StreamKey stream) {
        Object id;
        try {
            id = this.json.readValue(stream.requestIdJson(), Object.class);
        }
        catch (IOException | RuntimeException ex) {
            id = null;
        }
        if (!(id instanceof String) && !(id instanceof Number)) {
            id = null;
        }
        return error(id, McpSchema.ErrorCodes.INTERNAL_ERROR,
                "The server instance that ran this request stopped before it answered; the request was not run again");
    }

    /**
     * A JSON-RPC error response; {@code id} is {@code null} where the request's id is unknown (the SDK's response
     * type refuses that, JSON-RPC requires it).
     */
    String error(@Nullable Object id, int code, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("message", message);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("jsonrpc", McpSchema.JSONRPC_VERSION);
        response.put("id", id);
        response.put("error", error);
        return write(response);
    }

    /** The instance that sent the request a client's response answers, or {@code null} when it is not ours. */
    static @Nullable String instanceOf(McpSchema.JSONRPCResponse response) {
        if (response.id() instanceof String id) {
            int separator = id.indexOf(SEPARATOR);
            return (separator > 0) ? id.substring(0, separator) : null;
        }
        return null;
    }

    /** A client's response with the id the SDK gave its request. */
    static McpSchema.JSONRPCResponse withSdkId(McpSchema.JSONRPCResponse response) {
        String id = (String) response.id();
        return new McpSchema.JSONRPCResponse(response.jsonrpc(), id.substring(id.indexOf(SEPARATOR) + 1),
                response.result(), response.error());
    }

}
