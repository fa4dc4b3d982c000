package io.mcpsession.core;

import java.util.Locale;

/**
 * Why a session's streams end.
 */
public enum CloseReason {

    /** The session was deleted. */
    DELETED,

    /** The session expired. */
    EXPIRED;

    /** The reason as written on the wire. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

}
