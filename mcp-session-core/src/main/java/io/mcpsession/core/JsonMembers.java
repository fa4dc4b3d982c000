package io.mcpsession.core;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The members of a JSON object as written: each member's value is the exact text of the source, so values can be
 * passed on (to a store, into a merged document) without re-encoding their numbers or escapes.
 */
public final class JsonMembers {

    private JsonMembers() {
    }

    /**
     * One member's value.
     *
     * @param token the value's first token ({@code START_OBJECT} for an object, {@code VALUE_NULL} for null…)
     * @param raw the value's text, exactly as in the source
     * @param string the decoded value when it is a string, else {@code null}
     */
    public record Member(JsonToken token, String raw, @Nullable String string) {

        public boolean isNull() {
            return this.token == JsonToken.VALUE_NULL;
        }

        public boolean isObject() {
            return this.token == JsonToken.START_OBJECT;
        }

    }

    /**
     * Reads the members of one JSON object.
     * @throws McpSessionException {@code INVALID_REQUEST} when {@code json} is not exactly one JSON object
     */
    public static Map<String, Member> parse(String json) {
        try (JsonParser parser = JsonText.parser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw McpSessionException.invalidRequest("Expected a JSON object");
            }
            Map<String, Member> members = read(parser, json);
            if (parser.nextToken() != null) {
                throw McpSessionException.invalidRequest("Expected exactly one JSON value");
            }
            return members;
        }
        catch (JacksonException ex) {
            throw JsonText.malformed(ex);
        }
    }

    /**
     * Reads the members of the object whose {@code START_OBJECT} is the parser's current token, leaving the parser
     * on its {@code END_OBJECT}.
     * @param parser a parser over {@code source}, created from the string (so its offsets are char offsets)
     * @param source the text the parser reads
     * @throws McpSessionException {@code INVALID_REQUEST} for a member that appears twice
     */
    public static Map<String, Member> read(JsonParser parser, String source) {
        Map<String, Member> members = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            int start = (int) parser.currentTokenLocation().getCharOffset();
            String string = null;
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                parser.skipChildren();
            }
            else if (token == JsonToken.VALUE_STRING) {
                string = parser.getString();
            }
            else {
                parser.finishToken();
            }
            int end = (int) parser.currentLocation().getCharOffset();
            if (members.put(name, new Member(token, source.substring(start, end), string)) != null) {
                throw McpSessionException.invalidRequest("Member '" + name + "' appears twice");
            }
        }
        return members;
    }

}
