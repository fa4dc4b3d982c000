package io.mcpsession.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

import org.springframework.http.MediaType;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.JsonMembers;
import io.mcpsession.core.JsonText;
import io.mcpsession.core.JsonMembers.Member;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Timestamps;

/**
 * Reads request bodies. JSON values that the store keeps (event data, metadata, capabilities) are taken from the
 * request as written, so that numbers, escapes and key order reach the store verbatim.
 */
final class RequestBodies {

    private static final JsonFactory JSON = new JsonFactory();

    private static final Set<String> SESSION_MEMBERS = Set.of("id", "clientCapabilities", "serverCapabilities",
            "protocolVersion", "metadata");

    private static final Set<String> EVENT_MEMBERS = Set.of("id", "type", "data", "runId", "metadata", "ephemeral",
            "timestamp");

    /** The most events one batch may hold. */
    static final int MAX_BATCH = 1000;

    private final long maxBodyBytes;

    /**
     * @param maxBodyBytes the largest body accepted; larger ones fail with {@code PAYLOAD_TOO_LARGE} before they
     * are read
     */
    RequestBodies(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The events of a POST: one event, or a batch when the body is an array. */
    record Events(List<NewEvent> events, boolean batch) {
    }

    /**
     * Reads the JSON body of a request; {@code null} when there is none.
     * @throws McpSessionException {@code UNSUPPORTED_MEDIA_TYPE} for a body that is not JSON,
     * {@code PAYLOAD_TOO_LARGE} for one over the limit, {@code INVALID_REQUEST} for one that is not UTF-8
     */
    @Nullable String read(HttpServletRequest request, Set<MediaType> accepted) {
        long length = request.getContentLengthLong();
        boolean declaresBody = length > 0 || request.getHeader("Transfer-Encoding") != null;
        String contentType = request.getContentType();
        // Checked before reading: a form body may already have been consumed as parameters. A declared type that
        // is not JSON is refused even on an empty body, so that an empty cross-site form cannot create a session.
        if (declaresBody || contentType != null) {
            requireJson(contentType, accepted);
        }
        if (length > this.maxBodyBytes) {
            throw tooLarge();
        }
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes((int) Math.min(this.maxBodyBytes + 1, Integer.MAX_VALUE));
        }
        catch (IOException ex) {
            throw McpSessionException.invalidRequest("The request body could not be read");
        }
        if (body.length > this.maxBodyBytes) {
            throw tooLarge();
        }
        if (body.length == 0) {
            return null;
        }
        if (!declaresBody) {
            // HTTP/2 bodies need not declare themselves with a header.
            requireJson(contentType, accepted);
        }
        return decodeUtf8(body);
    }

    private static String decodeUtf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(body))
                .toString();
        }
        catch (CharacterCodingException ex) {
            throw McpSessionException.invalidRequest("The request body is not valid UTF-8");
        }
    }

    static NewSession newSession(@Nullable String body, @Nullable String principal) {
        if (body == null) {
            return new NewSession(null, null, null, null, null, principal);
        }
        Map<String, Member> members = parseObject(body, SESSION_MEMBERS);
        return new NewSession(string(members, "id"), object(members, "clientCapabilities"),
                object(members, "serverCapabilities"), string(members, "protocolVersion"), object(members, "metadata"),
                principal);
    }

    static Events events(String body) {
        try (JsonParser parser = JSON.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_OBJECT) {
                NewEvent event = event(members(parser, body, EVENT_MEMBERS));
                requireEnd(parser);
                return new Events(List.of(event), false);
            }
            if (first != JsonToken.START_ARRAY) {
                throw McpSessionException.invalidRequest("An event is a JSON object, a batch a JSON array of them");
            }
            List<NewEvent> events = new ArrayList<>();
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                if (events.size() == MAX_BATCH) {
                    throw McpSessionException.invalidRequest("A batch holds at most " + MAX_BATCH + " events");
                }
                events.add(event(members(parser, body, EVENT_MEMBERS)));
            }
            if (parser.currentToken() != JsonToken.END_ARRAY) {
                throw McpSessionException.invalidRequest("A batch is a JSON array of event objects");
            }
            requireEnd(parser);
            return new Events(events, true);
        }
        catch (JacksonException ex) {
            throw malformed(ex);
        }
    }

    private static NewEvent event(Map<String, Member> members) {
        Member data = members.get("data");
        if (data == null) {
            throw McpSessionException.invalidRequest("An event needs 'data'");
        }
        Member ephemeral = members.get("ephemeral");
        if (ephemeral != null && !ephemeral.isNull() && ephemeral.token() != JsonToken.VALUE_TRUE
                && ephemeral.token() != JsonToken.VALUE_FALSE) {
            throw McpSessionException.invalidRequest("'ephemeral' must be a boolean");
        }
        String timestamp = string(members, "timestamp");
        return new NewEvent(string(members, "id"), string(members, "type"), data.raw(), string(members, "runId"),
                object(members, "metadata"), ephemeral != null && ephemeral.token() == JsonToken.VALUE_TRUE,
                (timestamp != null) ? Timestamps.parse("timestamp", timestamp) : null);
    }

    private static Map<String, Member> parseObject(String body, Set<String> allowed) {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw McpSessionException.invalidRequest("The request body must be a JSON object");
            }
            Map<String, Member> members = members(parser, body, allowed);
            requireEnd(parser);
            return members;
        }
        catch (JacksonException ex) {
            throw malformed(ex);
        }
    }

    /** Reads the members of the object whose START_OBJECT is the parser's current token. */
    private static Map<String, Member> members(JsonParser parser, String body, Set<String> allowed) {
        Map<String, Member> members = JsonMembers.read(parser, body);
        for (String name : members.keySet()) {
            if (!allowed.contains(name)) {
                throw McpSessionException.invalidRequest("Unknown member '" + name + "'");
            }
        }
        return members;
    }

    private static @Nullable String string(Map<String, Member> members, String name) {
        Member member = members.get(name);
        if (member == null || member.isNull()) {
            return null;
        }
        if (member.token() != JsonToken.VALUE_STRING) {
            throw McpSessionException.invalidRequest("'" + name + "' must be a string");
        }
        return member.string();
    }

    private static @Nullable String object(Map<String, Member> members, String name) {
        Member member = members.get(name);
        if (member == null || member.isNull()) {
            return null;
        }
        if (!member.isObject()) {
            throw McpSessionException.invalidRequest("'" + name + "' must be a JSON object");
        }
        return member.raw();
    }

    private static void requireEnd(JsonParser parser) {
        if (parser.nextToken() != null) {
            throw McpSessionException.invalidRequest("The request body holds more than one JSON value");
        }
    }

    private static void requireJson(@Nullable String contentType, Set<MediaType> accepted) {
        if (contentType == null || !isAccepted(contentType, accepted)) {
            throw new McpSessionException(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "The request body must be JSON (Content-Type: application/json)");
        }
    }

    private static boolean isAccepted(String contentType, Set<MediaType> accepted) {
        String type = contentType.strip().toLowerCase(Locale.ROOT);
        if (type.equals("application/json") || type.startsWith("application/json;")) {
            return true;
        }
        try {
            MediaType parsed = MediaType.parseMediaType(contentType);
            return accepted.stream().anyMatch((candidate) -> candidate.includes(parsed));
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
    }

    private static McpSessionException malformed(JacksonException ex) {
        return JsonText.malformed(ex);
    }

    private McpSessionException tooLarge() {
        return new McpSessionException(ErrorCode.PAYLOAD_TOO_LARGE,
                "The request body may take at most " + this.maxBodyBytes + " bytes");
    }

}
