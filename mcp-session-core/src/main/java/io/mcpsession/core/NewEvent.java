package io.mcpsession.core;

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
 */
public record NewEvent(@Nullable String id, @Nullable String type, String data, @Nullable String runId,
        @Nullable String metadata, boolean ephemeral) {

    /** The type of an event appended without one. */
    public static final String DEFAULT_TYPE = "message";

    /** A persisted event with only a type and data. */
    public static NewEvent of(String type, String data) {
        return new NewEvent(null, type, data, null, null, false);
    }

    /** A persisted event with an idempotency key, a type and data. */
    public static NewEvent of(String id, String type, String data) {
        return new NewEvent(id, type, data, null, null, false);
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
