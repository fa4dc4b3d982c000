package io.mcpsession.core;

/**
 * The outcome of one append.
 *
 * @param event the stored event: the new one, or the original of a duplicate id
 * @param duplicate whether an event with the same id was already stored
 */
public record AppendResult(EventRecord event, boolean duplicate) {

    /** Whether this append stored a new event. */
    public boolean created() {
        return !this.duplicate;
    }

}
