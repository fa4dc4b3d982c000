/**
 * The domain of mcp-session: sessions, events, epochs, cursors, pages and feed entries.
 * JSON values (event data, metadata, capabilities, state values) are carried as compact JSON text so that
 * they round-trip verbatim through every store.
 */
@NullMarked
package io.mcpsession.core;

import org.jspecify.annotations.NullMarked;
