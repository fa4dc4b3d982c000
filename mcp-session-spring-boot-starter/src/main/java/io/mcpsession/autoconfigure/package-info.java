/**
 * Auto-configuration of mcp-session: properties, store selection, the sweeper and the HTTP API.
 */
@NullMarked
package io.mcpsession.autoconfigure;

import org.jspecify.annotations.NullMarked;
