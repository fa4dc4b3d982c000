package io.mcpsession.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.modern.server.HmacRequestStateCodec;
import io.modelcontextprotocol.modern.server.RequestStateCodec;
import io.modelcontextprotocol.modern.server.transport.HttpServletMcpTransport;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import jakarta.servlet.http.HttpServlet;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;

import io.mcpsession.mcp.DualEraMcpServlet;
import io.mcpsession.mcp.DurableMcpTransportProvider;
import io.mcpsession.mcp.modern.ServletRequestContext;
import io.mcpsession.mcp.modern.StoreChangeFeed;
import io.mcpsession.mcp.modern.StoreRequestStateCodec;
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

    /** The bean name of the 2026-07-28 transport that shares the endpoint. */
    static final String MODERN_TRANSPORT = "modernMcpTransport";

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    DurableMcpTransportProvider durableMcpTransportProvider(SessionStore store, McpSessionProperties properties,
            ObjectProvider<McpJsonMapper> jsonMapper) {
        McpSessionProperties.Mcp mcp = properties.getMcp();
        DurableMcpTransportProvider.Builder builder = DurableMcpTransportProvider.builder(store)
            .retry(properties.getSse().getRetry())
            .keepalive(properties.getSse().getKeepalive())
            .writeTimeout(properties.getSse().getWriteTimeout())
            .ownerLease(mcp.getOwnerLease())
            .touchInterval(properties.getTimeout().dividedBy(3))
            .maxRequestBytes(maxRequestBytes(properties))
            .allowedOrigins(mcp.getAllowedOrigins())
            .allowedHosts(mcp.getAllowedHosts());
        jsonMapper.ifAvailable(builder::jsonMapper);
        return builder.build();
    }

    /**
     * The MCP endpoint: the durable transport alone, or, where a 2026-07-28 transport is a bean too (see
     * {@link ModernMcpConfiguration}), both behind one endpoint that sends each request to its era's transport.
     */
    @Bean
    @ConditionalOnMissingBean(name = "durableMcpTransportRegistration")
    ServletRegistrationBean<HttpServlet> durableMcpTransportRegistration(DurableMcpTransportProvider provider,
            @Qualifier(MODERN_TRANSPORT) ObjectProvider<HttpServlet> modernTransport, McpSessionProperties properties,
            Environment environment) {
        String endpoint = environment.getProperty(SPRING_AI_ENDPOINT, properties.getMcp().getEndpoint());
        HttpServlet modern = modernTransport.getIfAvailable();
        HttpServlet servlet = (modern != null)
                ? new DualEraMcpServlet(provider, modern, maxRequestBytes(properties)) : provider;
        ServletRegistrationBean<HttpServlet> registration = new ServletRegistrationBean<>(servlet, endpoint);
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

    static int maxRequestBytes(McpSessionProperties properties) {
        return (int) Math.min(Integer.MAX_VALUE, properties.getMcp().getMaxRequestSize().toBytes());
    }

    /**
     * The 2026-07-28 side (MCP Java SDK 2.2 and later): a change feed for {@code subscriptions/listen} on the
     * store, always; and where the application defines a 2026-07-28 {@code McpServer}, its servlet transport,
     * served at the same endpoint as the durable one.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.modelcontextprotocol.modern.server.McpServer")
    static class ModernMcpConfiguration {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        StoreChangeFeed mcpChangeFeed(SessionStore store, McpSessionProperties properties,
                ObjectProvider<McpJsonMapper> jsonMapper) {
            StoreChangeFeed.Builder builder = StoreChangeFeed.builder(store)
                .touchInterval(properties.getTimeout().dividedBy(3));
            jsonMapper.ifAvailable(builder::jsonMapper);
            return builder.build();
        }

        /**
         * The request state codec for the application's 2026-07-28 server (created only where something takes it,
         * such as {@code McpServer.builder().requestStateCodec(codec)}).
         */
        @Bean
        @Lazy
        @ConditionalOnMissingBean
        RequestStateCodec mcpRequestStateCodec(SessionStore store, McpSessionProperties properties) {
            McpSessionProperties.Mcp mcp = properties.getMcp();
            if (mcp.getRequestState() == McpSessionProperties.Mcp.RequestState.STORE) {
                return new StoreRequestStateCodec(store);
            }
            HmacRequestStateCodec.Builder builder = HmacRequestStateCodec.builder()
                .principalExtractor((context) -> (String) context.get(ServletRequestContext.PRINCIPAL));
            String key = mcp.getRequestStateKey();
            if (key != null) {
                if (key.length() < 32) {
                    throw new IllegalStateException("mcp.session.mcp.request-state-key must be at least 32 characters");
                }
                builder.key(key.getBytes(StandardCharsets.UTF_8));
            }
            else if (!"memory".equals(store.type())) {
                throw new IllegalStateException("Instances that share the " + store.type() + " store must open each "
                        + "other's request state: set mcp.session.mcp.request-state-key to the same key on every "
                        + "instance, or mcp.session.mcp.request-state=store");
            }
            return builder.build();
        }

        @Bean(MODERN_TRANSPORT)
        @ConditionalOnBean(io.modelcontextprotocol.modern.server.McpServer.class)
        @ConditionalOnMissingBean(name = MODERN_TRANSPORT)
        HttpServletMcpTransport modernMcpTransport(io.modelcontextprotocol.modern.server.McpServer server,
                McpSessionProperties properties, Environment environment, ObjectProvider<McpJsonMapper> jsonMapper) {
            McpSessionProperties.Mcp mcp = properties.getMcp();
            HttpServletMcpTransport.Builder builder = HttpServletMcpTransport.builder(server)
                .endpoint(environment.getProperty(SPRING_AI_ENDPOINT, mcp.getEndpoint()))
                .maxRequestSize(maxRequestBytes(properties))
                .contextExtractor(ServletRequestContext::of)
                .httpHeaderValidator(DefaultServerTransportSecurityValidator.builder()
                    .allowedOrigins(Stream.concat(DurableMcpTransportProvider.LOCAL_ORIGINS.stream(),
                            mcp.getAllowedOrigins().stream()).toList())
                    .allowedHosts(mcp.getAllowedHosts())
                    .build());
            jsonMapper.ifAvailable(builder::jsonMapper);
            return builder.build();
        }

    }

}
