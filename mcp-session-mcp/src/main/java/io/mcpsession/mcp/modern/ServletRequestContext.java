package io.mcpsession.mcp.modern;

import java.security.Principal;
import java.util.HashMap;
import java.util.Map;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * What a 2026-07-28 request's transport context carries from its servlet request: the authenticated principal, so
 * that tasks stay with their owner, and the {@code Mcp-Name} routing header, which the SDK checks only for the
 * methods it knows. Give {@link #of} to the transport as its context extractor.
 */
public final class ServletRequestContext {

    /** The transport context's key of the principal's name. */
    public static final String PRINCIPAL = "io.mcpsession.principal";

    /** The transport context's key of the {@code Mcp-Name} header. */
    public static final String MCP_NAME = "io.mcpsession.mcpName";

    private ServletRequestContext() {
    }

    /** The transport context of a request. */
    public static McpTransportContext of(HttpServletRequest request) {
        Map<String, Object> values = new HashMap<>(2);
        Principal principal = request.getUserPrincipal();
        if (principal != null) {
            values.put(PRINCIPAL, principal.getName());
        }
        String name = request.getHeader("Mcp-Name");
        if (name != null) {
            values.put(MCP_NAME, name);
        }
        return values.isEmpty() ? McpTransportContext.EMPTY : McpTransportContext.create(values);
    }

    /** The name of the principal that sent the request, or {@code null} for an anonymous one. */
    public static @Nullable String principal(McpRequestContext request) {
        return value(request, PRINCIPAL);
    }

    /** The request's {@code Mcp-Name} header, or {@code null} when it has none. */
    public static @Nullable String mcpName(McpRequestContext request) {
        return (request.primitiveName() != null) ? request.primitiveName() : value(request, MCP_NAME);
    }

    private static @Nullable String value(McpRequestContext request, String key) {
        McpTransportContext context = request.transportContext();
        Object value = (context != null) ? context.get(key) : null;
        return (value != null) ? value.toString() : null;
    }

}
