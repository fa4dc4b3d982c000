package io.mcpsession.mcp.modern;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.RequestStateCodec;
import org.jspecify.annotations.Nullable;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.store.SessionStore;

/**
 * Request state of 2026-07-28 multi-round requests kept in a {@link SessionStore} instead of sealed into the token:
 * the client holds only an unguessable handle, which opens for the principal that it was sealed for, on any instance,
 * until the store's session timeout; {@link #revoke} ends it sooner. Each state is a store session of its own (its id
 * is the handle), so it expires, and is swept, like any other.
 */
public final class StoreRequestStateCodec implements RequestStateCodec {

    /** How every handle starts, so that other tokens are refused without a store read. */
    static final String PREFIX = "mcp-state-";

    static final String STATE_KEY = "requestState";

    private final SessionStore store;

    private final McpJsonMapper json = McpJsonDefaults.getMapper();

    public StoreRequestStateCodec(SessionStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public String seal(McpRequestContext context, String state) {
        String handle = PREFIX + UUID.randomUUID();
        this.store.create(new NewSession(handle, null, null, context.protocolVersion(), "{\"mcpRequestState\":true}",
                ServletRequestContext.principal(context)));
        this.store.putState(handle, STATE_KEY, quoted(state));
        return handle;
    }

    /** The state behind the handle, or {@code null} (refused) when it is unknown, expired or someone else's. */
    @Override
    public @Nullable String open(McpRequestContext context, String handle) {
        if (!handle.startsWith(PREFIX) || handle.length() > PREFIX.length() + 36) {
            return null;
        }
        try {
            Optional<Session> session = this.store.find(handle);
            if (session.isEmpty()
                    || !Objects.equals(session.get().principal(), ServletRequestContext.principal(context))) {
                return null;
            }
            return this.store.getState(handle, STATE_KEY).map(this::unquoted).orElse(null);
        }
        catch (McpSessionException ex) {
            if (ex.code() == ErrorCode.SESSION_NOT_FOUND || ex.code() == ErrorCode.INVALID_SESSION_ID) {
                return null;
            }
            throw ex;
        }
    }

    /** Ends the state behind a handle at once. */
    public boolean revoke(String handle) {
        return handle.startsWith(PREFIX) && this.store.delete(handle);
    }

    /** The state as a JSON string, as the store keeps state values as JSON. */
    private String quoted(String state) {
        try {
            return this.json.writeValueAsString(state);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private @Nullable String unquoted(String json) {
        try {
            return this.json.readValue(json, String.class);
        }
        catch (IOException ex) {
            return null;
        }
    }

}
