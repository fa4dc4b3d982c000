package io.mcpsession.core;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON values as compact text: validated by Jackson, stripped of insignificant whitespace and otherwise kept
 * verbatim, so numbers, unicode escapes and key order round-trip through every store.
 */
public final class JsonText {

    /** The empty JSON object. */
    public static final String EMPTY_OBJECT = "{}";

    /** A mapper that keeps numbers exact when JSON is read into a tree (merge patches, state maps). */
    static final JsonMapper MAPPER = JsonMapper.builder()
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
        .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
        .build();

    private JsonText() {
    }

    /**
     * Validates {@code json} as one JSON value and returns it without insignificant whitespace.
     * @throws McpSessionException {@code INVALID_REQUEST} when it is not exactly one JSON value
     */
    public static String compact(String json) {
        requireWellFormed(json);
        return stripWhitespace(json);
    }

    /**
     * Validates {@code json} as one JSON object and returns it compact.
     * @throws McpSessionException {@code INVALID_REQUEST} when it is not a JSON object
     */
    public static String compactObject(String json, String name) {
        String compact = compact(json);
        if (compact.charAt(0) != '{') {
            throw new McpSessionException(ErrorCode.INVALID_REQUEST, "'" + name + "' must be a JSON object");
        }
        return compact;
    }

    /**
     * Writes a domain value (a session, event, page, feed entry…) as one line of JSON, exactly as the contract
     * names its members, whatever the application's own JSON settings are.
     */
    public static String toJson(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** Writes a domain value as one line of JSON in UTF-8. */
    public static byte[] toJsonBytes(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    /** A JSON object of compact JSON values, by key, in the map's order. */
    public static String objectOf(Map<String, String> members) {
        StringBuilder json = new StringBuilder("{");
        members.forEach((key, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(toJson(key)).append(':').append(value);
        });
        return json.append('}').toString();
    }

    /** The number of bytes of {@code text} in UTF-8, without encoding it. */
    public static long utf8Length(@Nullable String text) {
        if (text == null) {
            return 0;
        }
        long length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                length++;
            }
            else if (c < 0x800) {
                length += 2;
            }
            else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                length += 4;
                i++;
            }
            else {
                length += 3;
            }
        }
        return length;
    }

    /**
     * Applies a JSON merge patch (RFC 7396) to a JSON object and returns the result as compact text.
     * @param target the object to patch, or {@code null} for none
     * @param patch the patch; {@code null} JSON removes the target
     * @return the patched value, or {@code null} when the patch removes it
     */
    public static @Nullable String mergePatch(@Nullable String target, String patch) {
        JsonNode patchNode = MAPPER.readTree(patch);
        if (patchNode.isNull()) {
            return null;
        }
        if (!patchNode.isObject()) {
            return patch;
        }
        JsonNode targetNode = (target != null) ? MAPPER.readTree(target) : null;
        ObjectNode result = (targetNode instanceof ObjectNode object) ? object : MAPPER.createObjectNode();
        merge(result, (ObjectNode) patchNode);
        return MAPPER.writeValueAsString(result);
    }

    private static void merge(ObjectNode target, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> member : patch.properties()) {
            JsonNode value = member.getValue();
            if (value.isNull()) {
                target.remove(member.getKey());
            }
            else if (value.isObject() && target.get(member.getKey()) instanceof ObjectNode existing) {
                merge(existing, (ObjectNode) value);
            }
            else if (value.isObject()) {
                ObjectNode fresh = MAPPER.createObjectNode();
                merge(fresh, (ObjectNode) value);
                target.set(member.getKey(), fresh);
            }
            else {
                target.set(member.getKey(), value);
            }
        }
    }

    private static void requireWellFormed(String json) {
        try (JsonParser parser = MAPPER.createParser(json)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new McpSessionException(ErrorCode.INVALID_REQUEST, "Expected a JSON value");
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new McpSessionException(ErrorCode.INVALID_REQUEST, "Expected exactly one JSON value");
            }
        }
        catch (JacksonException ex) {
            throw new McpSessionException(ErrorCode.INVALID_REQUEST, "Malformed JSON: " + ex.getOriginalMessage());
        }
    }

    /** Drops whitespace outside strings; the input is already known to be well-formed JSON. */
    static String stripWhitespace(String json) {
        StringBuilder out = null;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            boolean whitespace = false;
            if (inString) {
                if (c == '\\') {
                    if (out != null) {
                        out.append(c);
                    }
                    c = json.charAt(++i);
                }
                else if (c == '"') {
                    inString = false;
                }
            }
            else if (c == '"') {
                inString = true;
            }
            else {
                whitespace = c == ' ' || c == '\t' || c == '\n' || c == '\r';
            }
            if (whitespace && out == null) {
                out = new StringBuilder(json.length()).append(json, 0, i);
            }
            else if (!whitespace && out != null) {
                out.append(c);
            }
        }
        return (out != null) ? out.toString() : json;
    }

}
