/**
 * The HTTP API: JSON endpoints, long-poll and Server-Sent Events over a {@link io.mcpsession.store.SessionStore}.
 */
@NullMarked
package io.mcpsession.web;

import org.jspecify.annotations.NullMarked;
