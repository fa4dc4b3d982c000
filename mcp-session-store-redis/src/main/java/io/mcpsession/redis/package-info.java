/**
 * The Redis store: one Lua script per change of a session, on that session's cluster slot; a global feed
 * numbered after the fact by a sequencer elected with a lease; expiry and retention from the store's own data;
 * wake-ups between instances over pub/sub.
 */
@NullMarked
package io.mcpsession.redis;

import org.jspecify.annotations.NullMarked;
