package io.mcpsession.core;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

/**
 * An event a caller appends.
 *
 * @param id the idempotency key, or {@code null} to generate one
 * @param type the type ({@code message} when {@code null})
 * @param data the payload as JSON text (see {@link JsonText#compact(String)})
 * @param runId the run it belongs to, or {@code null}
 * @param metadata a JSON object as text, or {@code null} for none
 * @param ephemeral whether it is delivered live only and never persisted
 * @param timestamp the producer's own time of the event (kept as given, truncated to milliseconds), or
 * {@code null} for the store's clock to stamp it
 */
public record NewEvent(@Nullable String id, @Nullable String type, String data, @Nullable String runId,
        @Nullable String metadata, boolean ephemeral, @Nullable Instant timestamp) {

    /** The type of an event appended without one. */
    public static final String DEFAULT_TYPE = "message";

    public NewEvent {
        // Millisecond precision is what every store keeps, so the event reads back exactly as it was appended.
        timestamp = (timestamp != null) ? timestamp.truncatedTo(ChronoUnit.MILLIS) : null;
    }

    /** An event that the store's clock stamps. */
    public NewEvent(@Nullable String id, @Nullable String type, String data, @Nullable String runId,
            @Nullable String metadata, boolean ephemeral) {
        this(id, type, data, runId, metadata, ephemeral, null);
    }

    /** A persisted event with only a type and data. */
    public static NewEvent of(String type, String data) {
        return new NewEvent(null, type, data, null, null, false);
    }

    /** A persisted event with an idempotency key, a type and data. */
    public static NewEvent of(String id, String type, String data) {
        return new NewEvent(id, type, data, null, null, false);
    }

    /** This event with the producer's time {@code timestamp} ({@code null} for the store's clock). */
    public NewEvent withTimestamp(@Nullable Instant timestamp) {
        return new NewEvent(this.id, this.type, this.data, this.runId, this.metadata, this.ephemeral, timestamp);
    }

    /** The producer's time, or {@code now} (the store's clock) when the event came without one. */
    public Instant timestampOr(Instant now) {
        return (this.timestamp != null) ? this.timestamp : now;
    }

    /** The type, defaulted. */
    public String typeOrDefault() {
        return (this.type != null) ? this.type : DEFAULT_TYPE;
    }

    /** The metadata, defaulted to the empty object. */
    public String metadataOrEmpty() {
        return (this.metadata != null) ? this.metadata : JsonText.EMPTY_OBJECT;
    }

}
