/**
 * The store SPI: {@link io.mcpsession.store.SessionStore}, its settings, and the in-process fan-out of wake-ups
 * that every store shares.
 */
@NullMarked
package io.mcpsession.store;

import org.jspecify.annotations.NullMarked;
