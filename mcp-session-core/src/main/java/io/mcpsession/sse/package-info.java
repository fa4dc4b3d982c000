/**
 * Server-Sent Events framing, per the event-stream format of the HTML Living Standard.
 */
@NullMarked
package io.mcpsession.sse;

import org.jspecify.annotations.NullMarked;
