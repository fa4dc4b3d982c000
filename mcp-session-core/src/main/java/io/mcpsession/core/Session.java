package io.mcpsession.core;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonRawValue;
import org.jspecify.annotations.Nullable;

/**
 * A session: identity, capabilities, metadata, owner and activity.
 *
 * @param id the session id (one path segment of the API)
 * @param createdAt when the session was created
 * @param lastActivity the last activity that kept the session alive
 * @param expiresAt when the session expires unless there is activity before
 * @param initialized whether the client finished initialization
 * @param clientCapabilities the client's capabilities as compact JSON object text, or {@code null}
 * @param serverCapabilities the server's capabilities as compact JSON object text, or {@code null}
 * @param protocolVersion the negotiated protocol version, or {@code null}
 * @param metadata free metadata as compact JSON object text (never {@code null}, {@code {}} when empty)
 * @param principal the owner's name, or {@code null} for an anonymous session
 */
public record Session(
        String id,
        @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = Timestamps.PATTERN, timezone = "UTC") Instant createdAt,
        @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = Timestamps.PATTERN, timezone = "UTC") Instant lastActivity,
        @JsonFormat(shape = JsonFormat.Shape.STRING, pattern = Timestamps.PATTERN, timezone = "UTC") Instant expiresAt,
        boolean initialized,
        @JsonRawValue @Nullable String clientCapabilities,
        @JsonRawValue @Nullable String serverCapabilities,
        @Nullable String protocolVersion,
        @JsonRawValue String metadata,
        @Nullable String principal) {

    /** Returns this session with new activity times. */
    public Session withActivity(Instant lastActivity, Instant expiresAt) {
        return new Session(this.id, this.createdAt, lastActivity, expiresAt, this.initialized, this.clientCapabilities,
                this.serverCapabilities, this.protocolVersion, this.metadata, this.principal);
    }

    /** Whether the session has expired at {@code now}: it has been idle longer than its timeout. */
    public boolean isExpired(Instant now) {
        return now.isAfter(this.expiresAt);
    }

}
