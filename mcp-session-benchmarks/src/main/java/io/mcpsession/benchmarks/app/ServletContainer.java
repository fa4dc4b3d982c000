package io.mcpsession.benchmarks.app;

import java.util.Map;

/**
 * The servlet container an app instance runs on. Both are on the class path, so each excludes the other's
 * auto-configuration (Jetty's would otherwise be applied first, by name).
 */
public enum ServletContainer {

    TOMCAT("org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration"),

    JETTY("org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration");

    private final String excluded;

    ServletContainer(String excluded) {
        this.excluded = excluded;
    }

    /** The auto-configuration of the other container, which an instance on this one excludes. */
    String excludedAutoConfiguration() {
        return this.excluded;
    }

    /** Application properties of an instance on this container. */
    Map<String, Object> properties() {
        // Jetty closes a connection idle for 30 s, a bare stream included (Tomcat does not while the request is
        // asynchronous); the library's streams send a keepalive every 15 s anyway.
        return (this == JETTY) ? Map.of("server.jetty.connection-idle-timeout", "1h") : Map.of();
    }

    /** A name for reports. */
    public String displayName() {
        return (this == TOMCAT) ? "Tomcat" : "Jetty";
    }

}
