package io.mcpsession.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Leaves Spring AI's in-memory Streamable HTTP transport out where the durable one takes its place. Spring AI's
 * transport bean backs off only for a bean of its own final type, so two transports would reach its MCP server;
 * dropping its auto-configuration class is the way Spring Boot offers.
 */
public final class SpringAiTransportFilter implements AutoConfigurationImportFilter, EnvironmentAware,
        BeanClassLoaderAware {

    static final String SPRING_AI_STREAMABLE_CONFIGURATION = "org.springframework.ai.mcp.server.webmvc.autoconfigure.McpServerStreamableHttpWebMvcAutoConfiguration";

    private static final String DURABLE_TRANSPORT = "io.mcpsession.mcp.DurableMcpTransportProvider";

    private @Nullable Environment environment;

    private @Nullable ClassLoader classLoader;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanClassLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
        boolean replaced = this.environment != null && ClassUtils.isPresent(DURABLE_TRANSPORT, this.classLoader)
                && DurableMcpTransportCondition.outcome(this.environment, this.classLoader).isMatch();
        boolean[] matches = new boolean[autoConfigurationClasses.length];
        for (int i = 0; i < autoConfigurationClasses.length; i++) {
            matches[i] = !(replaced && SPRING_AI_STREAMABLE_CONFIGURATION.equals(autoConfigurationClasses[i]));
        }
        return matches;
    }

}
