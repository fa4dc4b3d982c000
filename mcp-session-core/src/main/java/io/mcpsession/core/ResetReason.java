package io.mcpsession.core;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why a read could not continue from the reader's cursor (the gap contract).
 */
public enum ResetReason {

    /** The cursor is older than the retained window. */
    RETENTION,

    /** The cursor belongs to another history of the log. */
    EPOCH;

    /** The reason as written on the wire. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

}
