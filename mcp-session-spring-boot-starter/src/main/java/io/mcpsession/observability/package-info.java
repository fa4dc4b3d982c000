/**
 * Meters, observations and health of mcp-session, applied once at the store boundary.
 */
@NullMarked
package io.mcpsession.observability;

import org.jspecify.annotations.NullMarked;
