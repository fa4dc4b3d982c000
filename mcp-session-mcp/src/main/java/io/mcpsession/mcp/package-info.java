/**
 * A durable MCP Streamable HTTP server transport for the MCP Java SDK (protocol revision 2025-11-25 and earlier):
 * sessions and every message the server sends live in a {@link io.mcpsession.store.SessionStore}, so any instance
 * serves any session and a dropped stream resumes on any instance with {@code Last-Event-ID}.
 */
@NullMarked
package io.mcpsession.mcp;

import org.jspecify.annotations.NullMarked;
