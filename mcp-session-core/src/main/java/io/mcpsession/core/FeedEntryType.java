package io.mcpsession.core;

import java.util.Arrays;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The kinds of change the global feed records.
 */
public enum FeedEntryType {

    SESSION_CREATED("session.created"),

    SESSION_UPDATED("session.updated"),

    SESSION_DELETED("session.deleted"),

    SESSION_EXPIRED("session.expired"),

    EVENT_APPENDED("event.appended");

    private final String value;

    FeedEntryType(String value) {
        this.value = value;
    }

    /** The type as written on the wire. */
    @JsonValue
    public String value() {
        return this.value;
    }

    /** The type written as {@code value}, if any. */
    public static Optional<FeedEntryType> fromValue(String value) {
        return Arrays.stream(values()).filter((type) -> type.value.equals(value)).findFirst();
    }

}
