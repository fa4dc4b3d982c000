package io.mcpsession.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Whether the durable MCP transport is wanted: {@code mcp.session.mcp.enabled} is not false, and where Spring AI's
 * MCP server auto-configuration is present, it is set to serve Streamable HTTP (its default is the older SSE
 * protocol, and stdio or the stateless protocol need no session transport).
 */
final class DurableMcpTransportCondition extends SpringBootCondition {

    static final String SPRING_AI_SERVER_CONFIGURATION = "org.springframework.ai.mcp.server.common.autoconfigure.McpServerAutoConfiguration";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return outcome(context.getEnvironment(), context.getClassLoader());
    }

    static ConditionOutcome outcome(Environment environment, ClassLoader classLoader) {
        if (!environment.getProperty("mcp.session.mcp.enabled", Boolean.class, true)) {
            return ConditionOutcome.noMatch("mcp.session.mcp.enabled is false");
        }
        if (!ClassUtils.isPresent(SPRING_AI_SERVER_CONFIGURATION, classLoader)) {
            return ConditionOutcome.match("no Spring AI MCP server: the transport serves the bare SDK");
        }
        if (!environment.getProperty("spring.ai.mcp.server.enabled", Boolean.class, true)) {
            return ConditionOutcome.noMatch("spring.ai.mcp.server.enabled is false");
        }
        if (environment.getProperty("spring.ai.mcp.server.stdio", Boolean.class, false)) {
            return ConditionOutcome.noMatch("Spring AI's MCP server speaks stdio");
        }
        String protocol = environment.getProperty("spring.ai.mcp.server.protocol", "SSE");
        return "STREAMABLE".equalsIgnoreCase(protocol)
                ? ConditionOutcome.match("Spring AI's MCP server serves Streamable HTTP")
                : ConditionOutcome.noMatch("spring.ai.mcp.server.protocol is " + protocol + ", not STREAMABLE");
    }

}
