package io.mcpsession.mcp.modern;

import java.security.Principal;
import java.util.Map;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Who sent a 2026-07-28 request: the servlet request's authenticated principal, carried in the transport context so
 * that request state and tasks stay with their owner. Give {@link #context} to the transport as its context
 * extractor.
 */
public final class RequestPrincipal {

    /** The transport context's key of the principal's name. */
    public static final String KEY = "io.mcpsession.principal";

    private RequestPrincipal() {
    }

    /** The transport context of a request: its principal's name, where it has one. */
    public static McpTransportContext context(HttpServletRequest request) {
        Principal principal = request.getUserPrincipal();
        return (principal != null) ? McpTransportContext.create(Map.of(KEY, principal.getName()))
                : McpTransportContext.EMPTY;
    }

    /** The name of the principal that sent the request, or {@code null} for an anonymous one. */
    public static @Nullable String of(McpRequestContext request) {
        McpTransportContext context = request.transportContext();
        Object name = (context != null) ? context.get(KEY) : null;
        return (name != null) ? name.toString() : null;
    }

}
