/**
 * The in-memory store: per-session locks, ring-buffer logs, and a feed numbered after the fact.
 */
@NullMarked
package io.mcpsession.store.memory;

import org.jspecify.annotations.NullMarked;
