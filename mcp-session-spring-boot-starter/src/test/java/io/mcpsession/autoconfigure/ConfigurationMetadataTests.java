package io.mcpsession.autoconfigure;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every property IDEs complete has a description and, where the contract gives one, its default.
 */
class ConfigurationMetadataTests {

    /** The properties of SPEC §5 with their documented defaults ({@code null}: detected, no default). */
    private static final Map<String, Object> CONTRACT = Map.ofEntries(Map.entry("mcp.session.store.type", "none"),
            Map.entry("mcp.session.store.jdbc.initialize-schema", "embedded"),
            Map.entry("mcp.session.store.jdbc.table-prefix", "MCP_"),
            Map.entry("mcp.session.store.redis.key-prefix", "mcp:"), Map.entry("mcp.session.timeout", "30m"),
            Map.entry("mcp.session.store.nats.url", "nats://localhost:4222"), Map.entry("mcp.session.store.nats.prefix", "MCP"),
            Map.entry("mcp.session.max-sessions", 100000), Map.entry("mcp.session.events.max-per-session", 10000),
            Map.entry("mcp.session.events.ttl", "2h"), Map.entry("mcp.session.events.overflow", "evict-oldest"),
            Map.entry("mcp.session.events.max-event-bytes", "1MB"), Map.entry("mcp.session.feed.enabled", true),
            Map.entry("mcp.session.feed.max-entries", 1000000), Map.entry("mcp.session.feed.ttl", "24h"),
            Map.entry("mcp.session.sweep.interval", "1m"), Map.entry("mcp.session.long-poll.max-wait", "30s"),
            Map.entry("mcp.session.web.enabled", true), Map.entry("mcp.session.web.base-path", "/mcp-sessions"),
            Map.entry("mcp.session.sse.keepalive", "15s"), Map.entry("mcp.session.sse.retry", "3s"),
            Map.entry("mcp.session.mcp.enabled", true), Map.entry("mcp.session.web.max-page-bytes", "4MB"),
            Map.entry("mcp.session.state.max-keys", 1000), Map.entry("mcp.session.sse.max-streams-per-session", 32),
            Map.entry("mcp.session.sse.max-streams", 1000), Map.entry("mcp.session.sse.write-timeout", "30s"),
            Map.entry("mcp.session.sse.threads", 16),
            Map.entry("mcp.session.long-poll.max-waiting", 10000),
            Map.entry("mcp.session.web.max-creates-per-minute", 0));

    @Test
    void everyPropertyIsDescribed() throws Exception {
        List<String> undescribed = new ArrayList<>();
        for (JsonNode property : properties()) {
            if (property.path("description").asString("").isBlank()) {
                undescribed.add(property.get("name").asString());
            }
        }
        assertThat(undescribed).isEmpty();
    }

    @Test
    void contractPropertiesHaveTheirDefaults() throws Exception {
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode property : properties()) {
            byName.put(property.get("name").asString(), property);
        }
        assertThat(byName.keySet()).containsAll(CONTRACT.keySet());
        CONTRACT.forEach((name, expected) -> {
            JsonNode defaultValue = byName.get(name).get("defaultValue");
            if ("none".equals(expected)) {
                assertThat(defaultValue).as(name).isNull();
            }
            else {
                assertThat(defaultValue).as(name).isNotNull();
                Object actual = defaultValue.isNumber() ? (Object) defaultValue.asInt()
                        : defaultValue.isBoolean() ? (Object) defaultValue.asBoolean() : defaultValue.asString();
                assertThat(actual).as(name).isEqualTo(expected);
            }
        });
    }

    @Test
    void everyPropertyIsUnderTheContractPrefix() throws Exception {
        Set<String> names = new TreeSet<>();
        properties().forEach((property) -> names.add(property.get("name").asString()));
        assertThat(names).allMatch((name) -> name.startsWith("mcp.session."));
    }

    private static List<JsonNode> properties() throws Exception {
        try (InputStream in = ConfigurationMetadataTests.class
            .getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("generated configuration metadata").isNotNull();
            List<JsonNode> properties = new ArrayList<>();
            JsonMapper.builder().build().readTree(in).get("properties").forEach(properties::add);
            return properties;
        }
    }

}
