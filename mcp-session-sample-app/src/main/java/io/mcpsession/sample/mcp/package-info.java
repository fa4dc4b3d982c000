/**
 * What the sample serves as an MCP server: the tools, resources and prompts that the MCP conformance suite's
 * server scenarios call, and tools of our own for resume tests.
 */
@NullMarked
package io.mcpsession.sample.mcp;

import org.jspecify.annotations.NullMarked;
