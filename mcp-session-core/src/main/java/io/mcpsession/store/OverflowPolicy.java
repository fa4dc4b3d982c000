package io.mcpsession.store;

/**
 * What an append does when a session's log holds {@code max-per-session} events.
 */
public enum OverflowPolicy {

    /** Evict the oldest events; {@code earliestRetained} advances and readers behind it get a reset. */
    EVICT_OLDEST,

    /** Refuse the append with {@code MAX_EVENTS_REACHED}. */
    REJECT

}
