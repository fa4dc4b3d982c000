package io.mcpsession.core;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What a caller asks for when creating a session.
 *
 * @param id the caller's id, or {@code null} to generate a UUIDv7
 * @param clientCapabilities compact JSON object text, or {@code null}
 * @param serverCapabilities compact JSON object text, or {@code null}
 * @param protocolVersion the protocol version, or {@code null}
 * @param metadata compact JSON object text, or {@code null} for none
 * @param principal the owner's name, or {@code null} for anonymous
 */
public record NewSession(@Nullable String id, @Nullable String clientCapabilities,
        @Nullable String serverCapabilities, @Nullable String protocolVersion, @Nullable String metadata,
        @Nullable String principal) {

    /** An anonymous session with a generated id and nothing else. */
    public static NewSession anonymous() {
        return new NewSession(null, null, null, null, null, null);
    }

    /** An anonymous session with the given id. */
    public static NewSession withId(String id) {
        return new NewSession(id, null, null, null, null, null);
    }

    /**
     * Checks this request and returns it with its JSON compacted.
     * @throws McpSessionException {@code INVALID_SESSION_ID} or {@code INVALID_REQUEST}
     */
    public NewSession checked() {
        if (this.id != null) {
            SessionIds.requireValid(this.id);
        }
        if (this.protocolVersion != null) {
            Limits.requireName("protocolVersion", this.protocolVersion);
        }
        if (this.principal != null) {
            Limits.requireName("principal", this.principal);
        }
        return new NewSession(this.id, compactObject(this.clientCapabilities, "clientCapabilities"),
                compactObject(this.serverCapabilities, "serverCapabilities"), this.protocolVersion,
                compactObject(this.metadata, "metadata"), this.principal);
    }

    /** The session this request creates with {@code id} at {@code now}. */
    public Session toSession(String id, Instant now, Duration timeout) {
        return new Session(id, now, now, now.plus(timeout), false, this.clientCapabilities, this.serverCapabilities,
                this.protocolVersion, (this.metadata != null) ? this.metadata : JsonText.EMPTY_OBJECT, this.principal);
    }

    private static @Nullable String compactObject(@Nullable String json, String name) {
        return (json != null) ? JsonText.compactObject(json, name) : null;
    }

}
