package io.mcpsession.core;

import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A JSON merge patch (RFC 7396) of a session's mutable members: {@code initialized}, {@code clientCapabilities},
 * {@code serverCapabilities}, {@code protocolVersion} and {@code metadata}. A {@code null} member removes that
 * key.
 *
 * @param json the patch document as JSON object text
 */
public record SessionPatch(String json) {

    private static final Set<String> MEMBERS = Set.of("initialized", "clientCapabilities", "serverCapabilities",
            "protocolVersion", "metadata");

    public SessionPatch {
        JsonNode patch = parse(json);
        for (Map.Entry<String, JsonNode> member : patch.properties()) {
            String name = member.getKey();
            JsonNode value = member.getValue();
            if (!MEMBERS.contains(name)) {
                throw McpSessionException.invalidRequest("'" + name + "' cannot be patched");
            }
            boolean valid = switch (name) {
                case "initialized" -> value.isBoolean() || value.isNull();
                case "protocolVersion" -> (value.isString() && !value.asString().isEmpty()
                        && value.asString().length() <= Limits.MAX_NAME_LENGTH) || value.isNull();
                default -> value.isObject() || value.isNull();
            };
            if (!valid) {
                throw McpSessionException.invalidRequest("'" + name + "' has the wrong type");
            }
        }
        json = JsonText.compact(json);
    }

    /** Applies this patch to {@code session}; activity times are left as they are. */
    public Session applyTo(Session session) {
        JsonNode patch = parse(this.json);
        boolean initialized = session.initialized();
        String clientCapabilities = session.clientCapabilities();
        String serverCapabilities = session.serverCapabilities();
        String protocolVersion = session.protocolVersion();
        String metadata = session.metadata();
        for (Map.Entry<String, JsonNode> member : patch.properties()) {
            JsonNode value = member.getValue();
            String text = JsonText.MAPPER.writeValueAsString(value);
            switch (member.getKey()) {
                case "initialized" -> initialized = value.asBoolean(false);
                case "protocolVersion" -> protocolVersion = value.isNull() ? null : value.asString();
                case "clientCapabilities" -> clientCapabilities = JsonText.mergePatch(clientCapabilities, text);
                case "serverCapabilities" -> serverCapabilities = JsonText.mergePatch(serverCapabilities, text);
                default -> {
                    String merged = JsonText.mergePatch(metadata, text);
                    metadata = (merged != null) ? merged : JsonText.EMPTY_OBJECT;
                }
            }
        }
        return new Session(session.id(), session.createdAt(), session.lastActivity(), session.expiresAt(), initialized,
                clientCapabilities, serverCapabilities, protocolVersion, metadata, session.principal());
    }

    private static JsonNode parse(String json) {
        JsonNode node;
        try {
            node = JsonText.MAPPER.readTree(json);
        }
        catch (JacksonException ex) {
            throw McpSessionException.invalidRequest("Malformed JSON: " + ex.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw McpSessionException.invalidRequest("A session patch is a JSON object");
        }
        return node;
    }

}
