package io.mcpsession.core;

import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON values as compact text: validated by Jackson, stripped of insignificant whitespace and otherwise kept
 * verbatim, so numbers, unicode escapes and key order round-trip through every store.
 */
public final class JsonText {

    /** The empty JSON object. */
    public static final String EMPTY_OBJECT = "{}";

    /** Writes domain values and parses JSON text; never reads numbers into a tree, so they are never rewritten. */
    static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** {@link Timestamps#PATTERN} in UTC, as {@link EventRecord}'s {@code @JsonFormat} writes it. */
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern(Timestamps.PATTERN)
        .withZone(ZoneOffset.UTC);

    private JsonText() {
    }

    /**
     * A streaming parser of {@code json}. Straight from the token factory: the mapper's own {@code createParser}
     * builds a deserialization context per call that reading tokens never uses.
     */
    static JsonParser parser(String json) {
        return MAPPER.tokenStreamFactory().createParser(ObjectReadContext.empty(), json);
    }

    /**
     * Validates {@code json} as one JSON value and returns it without insignificant whitespace.
     * @throws McpSessionException {@code INVALID_REQUEST} when it is not exactly one JSON value
     */
    public static String compact(String json) {
        int scanned = StrictJsonScanner.scan(json);
        if (scanned == StrictJsonScanner.COMPACT) {
            return json;
        }
        if (scanned == StrictJsonScanner.UNKNOWN) {
            requireWellFormed(json);
        }
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
        if (value instanceof EventRecord event) {
            StringWriter json = new StringWriter(estimatedLength(event));
            try (JsonGenerator generator = MAPPER.tokenStreamFactory().createGenerator(ObjectWriteContext.empty(), json)) {
                writeEvent(generator, event);
            }
            return json.toString();
        }
        return MAPPER.writeValueAsString(value);
    }

    /** Writes a domain value as one line of JSON in UTF-8. */
    public static byte[] toJsonBytes(Object value) {
        if (value instanceof EventRecord event) {
            ByteArrayOutputStream json = new ByteArrayOutputStream(estimatedLength(event));
            try (JsonGenerator generator = MAPPER.tokenStreamFactory().createGenerator(ObjectWriteContext.empty(), json)) {
                writeEvent(generator, event);
            }
            return json.toByteArray();
        }
        return MAPPER.writeValueAsBytes(value);
    }

    /**
     * Writes an event with a generator rather than through the mapper: events are written once per append and
     * per stream, and the mapper's per-call context and bean introspection cost more than the writing. Same
     * members, order and formats as {@link EventRecord}'s annotations (tests compare the two).
     */
    private static void writeEvent(JsonGenerator generator, EventRecord event) {
        generator.writeStartObject();
        generator.writeStringProperty("sessionId", event.sessionId());
        generator.writeNumberProperty("seq", event.seq());
        generator.writeStringProperty("id", event.id());
        generator.writeStringProperty("type", event.type());
        generator.writeName("data");
        generator.writeRawValue(event.data());
        generator.writeStringProperty("runId", event.runId());
        generator.writeName("metadata");
        generator.writeRawValue(event.metadata());
        generator.writeStringProperty("timestamp", timestamp(event.timestamp()));
        generator.writeStringProperty("epoch", event.epoch());
        generator.writeEndObject();
    }

    /** A formatted timestamp, and the millisecond it names. */
    private record FormattedTimestamp(long millis, String text) {
    }

    private static volatile FormattedTimestamp lastTimestamp = new FormattedTimestamp(Long.MIN_VALUE, "");

    /**
     * {@link Timestamps#PATTERN} of an instant. Events appended within one millisecond share its text, which is
     * formatted once: formatting was half the cost of writing an event.
     */
    private static String timestamp(Instant instant) {
        long millis = instant.toEpochMilli();
        FormattedTimestamp last = lastTimestamp;
        if (last.millis() == millis) {
            return last.text();
        }
        String text = TIMESTAMP.format(instant);
        lastTimestamp = new FormattedTimestamp(millis, text);
        return text;
    }

    private static int estimatedLength(EventRecord event) {
        return 192 + event.sessionId().length() + event.id().length() + event.type().length() + event.data().length()
                + event.metadata().length();
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
     * Applies a JSON merge patch (RFC 7396) and returns the result as compact text. Members the patch does not
     * touch keep their text verbatim.
     * @param target the document to patch, or {@code null} for none
     * @param patch the patch; {@code null} JSON removes the target
     * @return the patched document, or {@code null} when the patch removes it
     * @throws McpSessionException {@code INVALID_REQUEST} when either is not well-formed JSON
     */
    public static @Nullable String mergePatch(@Nullable String target, String patch) {
        String compactPatch = compact(patch);
        if (compactPatch.equals("null")) {
            return null;
        }
        if (compactPatch.charAt(0) != '{') {
            return compactPatch;
        }
        String compactTarget = (target != null) ? compact(target) : EMPTY_OBJECT;
        Map<String, String> result = new LinkedHashMap<>();
        if (compactTarget.charAt(0) == '{') {
            JsonMembers.parse(compactTarget).forEach((name, member) -> result.put(name, member.raw()));
        }
        JsonMembers.parse(compactPatch).forEach((name, member) -> {
            if (member.isNull()) {
                result.remove(name);
            }
            else {
                result.put(name, member.isObject() ? mergePatch(result.get(name), member.raw()) : member.raw());
            }
        });
        return objectOf(result);
    }

    private static void requireWellFormed(String json) {
        try (JsonParser parser = parser(json)) {
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
            throw malformed(ex);
        }
    }

    /**
     * The error for JSON that the parser refused, in the contract's words: Jackson's own messages name its classes
     * and settings ({@code StreamReadConstraints…}, {@code JsonReadFeature…}), which no response may carry.
     */
    public static McpSessionException malformed(JacksonException ex) {
        if (ex instanceof StreamConstraintsException) {
            return McpSessionException.invalidRequest(
                    "The JSON nests too deeply or holds a number, string or name that is too long");
        }
        TokenStreamLocation location = ex.getLocation();
        if (location != null && location.getLineNr() > 0 && location.getColumnNr() > 0) {
            return McpSessionException.invalidRequest("Malformed JSON at line " + location.getLineNr() + ", column "
                    + location.getColumnNr());
        }
        return McpSessionException.invalidRequest("Malformed JSON");
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
