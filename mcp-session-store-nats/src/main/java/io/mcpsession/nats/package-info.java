/**
 * The NATS JetStream store: event logs and lifecycle changes in one stream (per-session order from the
 * expected-last-subject-sequence guard), sessions and state in key-value buckets, the global feed numbered after
 * the fact into a stream of its own.
 */
@NullMarked
package io.mcpsession.nats;

import org.jspecify.annotations.NullMarked;
