package io.mcpsession.benchmarks.app;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.mcpsession.store.SessionStore;

/**
 * One or more instances of {@link BenchmarkApplication} in this JVM, each on a random loopback port. Several
 * instances only make sense for a store they share ({@link StoreProfile#shared()}).
 */
public final class AppInstances implements AutoCloseable {

    /** The base path of the session API. */
    public static final String BASE = "/mcp-sessions";

    private static final String EXCLUDE = "spring.autoconfigure.exclude";

    private final StoreProfile profile;

    private final Map<String, Object> storeProperties;

    private final List<ConfigurableApplicationContext> contexts;

    private AppInstances(StoreProfile profile, Map<String, Object> storeProperties,
            List<ConfigurableApplicationContext> contexts) {
        this.profile = profile;
        this.storeProperties = storeProperties;
        this.contexts = contexts;
    }

    /** Starts one instance on the store of {@code profile}. */
    public static AppInstances start(StoreProfile profile) {
        return start(profile, 1, Map.of());
    }

    /**
     * Starts {@code count} instances on the store of {@code profile}, with extra application properties.
     * @throws IllegalArgumentException for several instances of a store they cannot share
     */
    public static AppInstances start(StoreProfile profile, int count, Map<String, Object> extra) {
        return start(profile, ServletContainer.TOMCAT, count, extra);
    }

    /** As {@link #start(StoreProfile, int, Map)}, on the given servlet container. */
    public static AppInstances start(StoreProfile profile, ServletContainer container, int count,
            Map<String, Object> extra) {
        if (count > 1 && !profile.shared()) {
            throw new IllegalArgumentException("Instances of the " + profile.key() + " store share nothing");
        }
        Map<String, Object> properties = new HashMap<>();
        properties.put("server.port", 0);
        properties.put("server.address", "127.0.0.1");
        properties.put("spring.main.banner-mode", "off");
        properties.put("logging.level.root", "warn");
        // Room for the thousands of loopback connections of the memory and subscriber figures.
        properties.put("server.tomcat.max-connections", 20_000);
        properties.put("server.tomcat.accept-count", 1000);
        // The driver's clients keep their connection for a whole run (Tomcat closes after 100 by default).
        properties.put("server.tomcat.max-keep-alive-requests", -1);
        // The fan-out figure holds 1,000 streams and a stalled one on one session: the quotas measure nothing here.
        properties.put("mcp.session.sse.max-streams-per-session", 2000);
        properties.put("mcp.session.sse.max-streams", 2000);
        // Streams the driver left open must not hold shutdown for the graceful period.
        properties.put("server.shutdown", "immediate");
        // Spring AI's MCP server only where a figure asks for it (mcpServer): the other figures measure the app
        // without it. Its tools are beans (McpTools), not annotated methods: no scan of every bean.
        properties.put("spring.ai.mcp.server.enabled", false);
        properties.put("spring.ai.mcp.server.annotation-scanner.enabled", false);
        Map<String, Object> storeProperties = profile.properties();
        properties.putAll(storeProperties);
        properties.putAll(container.properties());
        properties.putAll(extra);
        properties.merge(EXCLUDE, container.excludedAutoConfiguration(), (those, other) -> those + "," + other);
        List<ConfigurableApplicationContext> contexts = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                contexts.add(new SpringApplicationBuilder(BenchmarkApplication.class).properties(properties).run());
            }
        }
        catch (RuntimeException ex) {
            contexts.forEach(ConfigurableApplicationContext::close);
            throw ex;
        }
        return new AppInstances(profile, storeProperties, contexts);
    }

    /**
     * The properties that start Spring AI's MCP server (Streamable HTTP, at {@code /mcp}) with the tools of
     * {@link McpTools}: on our durable transport over the instance's store, or, when {@code durable} is false, on
     * Spring AI's own in-memory transport ({@code mcp.session.mcp.enabled=false}).
     */
    public static Map<String, Object> mcpServer(boolean durable) {
        return Map.of("spring.ai.mcp.server.enabled", true, "spring.ai.mcp.server.protocol", "STREAMABLE",
                "mcp.session.mcp.enabled", durable);
    }

    public int count() {
        return this.contexts.size();
    }

    /** The port of instance {@code index}. */
    public int port(int index) {
        return Integer.parseInt(this.contexts.get(index).getEnvironment().getRequiredProperty("local.server.port"));
    }

    /** The web server of instance {@code index} (Tomcat's or Jetty's). */
    public WebServer webServer(int index) {
        return ((WebServerApplicationContext) this.contexts.get(index)).getWebServer();
    }

    /** The store bean of instance {@code index}. */
    public SessionStore store(int index) {
        return this.contexts.get(index).getBean(SessionStore.class);
    }

    /** A bean of instance {@code index}. */
    public <T> T bean(int index, Class<T> type) {
        return this.contexts.get(index).getBean(type);
    }

    /** The beans of a type in instance {@code index}. */
    public <T> Collection<T> beans(int index, Class<T> type) {
        return this.contexts.get(index).getBeansOfType(type).values();
    }

    /** The store the instances share. */
    public StoreProfile profile() {
        return this.profile;
    }

    @Override
    public void close() {
        try {
            this.profile.release(this.storeProperties, this.contexts.get(0));
        }
        finally {
            this.contexts.forEach(ConfigurableApplicationContext::close);
        }
    }

}
