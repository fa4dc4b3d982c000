package io.mcpsession.mcp;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/**
 * The identity of one SSE stream of an MCP session, as its event ids carry it. The session's standalone GET stream
 * is {@code g}; a POST's response stream is {@code p.<tag>.<request id>}, where the tag names the stream in the
 * session's log (the {@code runId} of its events) and starts with the id of the instance that runs the request, and
 * the request id is the JSON-RPC id as base64url JSON, so that any instance can end the stream with an error for that
 * request when its owner is gone.
 *
 * @param value the key as event ids carry it
 */
record StreamKey(String value) {

    /** The standalone GET stream of a session. */
    static final StreamKey LISTENING = new StreamKey("g");

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    /** The response stream of a request. */
    static StreamKey response(String tag, String requestIdJson) {
        return new StreamKey("p." + tag + "." + ENCODER.encodeToString(requestIdJson.getBytes(StandardCharsets.UTF_8)));
    }

    /** Reads a key from an event id, or {@code null} when it is not one of ours. */
    static @Nullable StreamKey parse(String value) {
        if (value.equals(LISTENING.value)) {
            return LISTENING;
        }
        String[] parts = value.split("\\.", -1);
        if (parts.length != 3 || !parts[0].equals("p") || !Tags.isTag(parts[1]) || parts[2].isEmpty()) {
            return null;
        }
        try {
            DECODER.decode(parts[2]);
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
        return new StreamKey(value);
    }

    boolean isListening() {
        return this == LISTENING || this.value.equals(LISTENING.value);
    }

    /** The stream's name in the session log: the {@code runId} of its events. */
    String tag() {
        return isListening() ? LISTENING.value : this.value.split("\\.", -1)[1];
    }

    /** The id of the instance that runs the stream's request. */
    String ownerInstance() {
        return Tags.instanceOf(tag());
    }

    /** The JSON-RPC id of the stream's request, as JSON. */
    String requestIdJson() {
        return new String(DECODER.decode(this.value.split("\\.", -1)[2]), StandardCharsets.UTF_8);
    }

}
