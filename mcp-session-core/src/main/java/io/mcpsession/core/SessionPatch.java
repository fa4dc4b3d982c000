package io.mcpsession.core;

import java.util.Map;
import java.util.Set;

import tools.jackson.core.JsonToken;

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
        for (Map.Entry<String, JsonMembers.Member> entry : JsonMembers.parse(json).entrySet()) {
            String name = entry.getKey();
            JsonMembers.Member value = entry.getValue();
            if (!MEMBERS.contains(name)) {
                throw McpSessionException.invalidRequest("'" + name + "' cannot be patched");
            }
            boolean valid = value.isNull() || switch (name) {
                case "initialized" -> value.token() == JsonToken.VALUE_TRUE || value.token() == JsonToken.VALUE_FALSE;
                case "protocolVersion" -> value.string() != null && !value.string().isEmpty()
                        && value.string().length() <= Limits.MAX_NAME_LENGTH;
                default -> value.isObject();
            };
            if (!valid) {
                throw McpSessionException.invalidRequest("'" + name + "' has the wrong type");
            }
        }
        json = JsonText.compact(json);
    }

    /** Applies this patch to {@code session}; activity times are left as they are. */
    public Session applyTo(Session session) {
        boolean initialized = session.initialized();
        String clientCapabilities = session.clientCapabilities();
        String serverCapabilities = session.serverCapabilities();
        String protocolVersion = session.protocolVersion();
        String metadata = session.metadata();
        for (Map.Entry<String, JsonMembers.Member> entry : JsonMembers.parse(this.json).entrySet()) {
            JsonMembers.Member value = entry.getValue();
            switch (entry.getKey()) {
                case "initialized" -> initialized = value.token() == JsonToken.VALUE_TRUE;
                case "protocolVersion" -> protocolVersion = value.string();
                case "clientCapabilities" -> clientCapabilities = JsonText.mergePatch(clientCapabilities, value.raw());
                case "serverCapabilities" -> serverCapabilities = JsonText.mergePatch(serverCapabilities, value.raw());
                default -> {
                    String merged = JsonText.mergePatch(metadata, value.raw());
                    metadata = (merged != null) ? merged : JsonText.EMPTY_OBJECT;
                }
            }
        }
        return new Session(session.id(), session.createdAt(), session.lastActivity(), session.expiresAt(), initialized,
                clientCapabilities, serverCapabilities, protocolVersion, metadata, session.principal());
    }

}
