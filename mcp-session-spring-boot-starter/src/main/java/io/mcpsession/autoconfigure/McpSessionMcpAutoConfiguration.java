package io.mcpsession.autoconfigure;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;

import io.mcpsession.mcp.DurableMcpTransportProvider;
import io.mcpsession.store.SessionStore;

/**
 * Auto-configuration of the durable MCP Streamable HTTP transport where the MCP Java SDK is present: a
 * {@link DurableMcpTransportProvider} bean on the application's {@link SessionStore}, served at the MCP endpoint.
 * Spring AI's MCP server starter takes it as its transport (its own in-memory one is left out, see
 * {@link SpringAiTransportFilter}); a bare SDK server takes it with {@code McpServer.sync(provider)}.
 */
@AutoConfiguration(after = McpSessionAutoConfiguration.class,
        beforeName = "org.springframework.ai.mcp.server.common.autoconfigure.McpServerAutoConfiguration")
@ConditionalOnClass({ DurableMcpTransportProvider.class, McpStreamableServerTransportProvider.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Conditional(DurableMcpTransportCondition.class)
@ConditionalOnBean(SessionStore.class)
public final class McpSessionMcpAutoConfiguration {

    /** Spring AI's endpoint property, which wins over ours where it is set. */
    static final String SPRING_AI_ENDPOINT = "spring.ai.mcp.server.streamable-http.mcp-endpoint";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    DurableMcpTransportProvider durableMcpTransportProvider(SessionStore store, McpSessionProperties properties,
            ObjectProvider<McpJsonMapper> jsonMapper) {
        McpSessionProperties.Mcp mcp = properties.getMcp();
        DurableMcpTransportProvider.Builder builder = DurableMcpTransportProvider.builder(store)
            .retry(properties.getSse().getRetry())
            .keepalive(properties.getSse().getKeepalive())
            .ownerLease(mcp.getOwnerLease())
            .touchInterval(properties.getTimeout().dividedBy(3))
            .maxRequestBytes((int) Math.min(Integer.MAX_VALUE, mcp.getMaxRequestSize().toBytes()))
            .allowedOrigins(mcp.getAllowedOrigins())
            .allowedHosts(mcp.getAllowedHosts());
        jsonMapper.ifAvailable(builder::jsonMapper);
        return builder.build();
    }

    @Bean
    @ConditionalOnMissingBean(name = "durableMcpTransportRegistration")
    ServletRegistrationBean<DurableMcpTransportProvider> durableMcpTransportRegistration(
            DurableMcpTransportProvider provider, McpSessionProperties properties, Environment environment) {
        String endpoint = environment.getProperty(SPRING_AI_ENDPOINT, properties.getMcp().getEndpoint());
        ServletRegistrationBean<DurableMcpTransportProvider> registration = new ServletRegistrationBean<>(provider,
                endpoint);
        registration.setName("durableMcpTransport");
        registration.setAsyncSupported(true);
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Bean
    @ConditionalOnMissingBean(name = "durableMcpTransportDrain")
    DrainOnShutdown durableMcpTransportDrain(DurableMcpTransportProvider provider, Environment environment) {
        return new DrainOnShutdown("mcp-session-mcp", provider::drain, provider::resume,
                McpSessionWebAutoConfiguration.shutdownTimeout(environment));
    }

}
