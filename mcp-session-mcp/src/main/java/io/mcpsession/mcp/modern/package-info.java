/**
 * What a 2026-07-28 MCP server (the MCP Java SDK's {@code io.modelcontextprotocol.modern} stack) keeps in a
 * {@link io.mcpsession.store.SessionStore} so that every instance serves every request: the change feed of
 * {@code subscriptions/listen}, request state, and the tasks of the Tasks extension.
 */
@NullMarked
package io.mcpsession.mcp.modern;

import org.jspecify.annotations.NullMarked;
