package io.mcpsession.autoconfigure;

import java.time.Clock;

import io.modelcontextprotocol.modern.McpSchema.Implementation;
import io.modelcontextprotocol.modern.server.HmacRequestStateCodec;
import io.modelcontextprotocol.modern.server.McpServer;
import io.modelcontextprotocol.modern.server.RequestStateCodec;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.mock.env.MockEnvironment;

import io.mcpsession.mcp.DualEraMcpServlet;
import io.mcpsession.mcp.DurableMcpTransportProvider;
import io.mcpsession.mcp.modern.StoreChangeFeed;
import io.mcpsession.mcp.modern.StoreRequestStateCodec;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.memory.InMemorySessionStore;
import io.mcpsession.tck.ForwardingSessionStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class McpSessionMcpAutoConfigurationTests {

    private static final String SPRING_AI_STREAMABLE = SpringAiTransportFilter.SPRING_AI_STREAMABLE_CONFIGURATION;

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(McpSessionAutoConfiguration.class, McpSessionMcpAutoConfiguration.class));

    /** A bare SDK application: the MCP Java SDK without Spring AI. */
    private final WebApplicationContextRunner bareSdk = this.contextRunner
        .withClassLoader(new FilteredClassLoader("org.springframework.ai"));

    @Test
    void withTheBareSdkTheTransportIsServedAtMcp() {
        this.bareSdk.run((context) -> {
            assertThat(context).hasSingleBean(DurableMcpTransportProvider.class);
            assertThat(context).getBean("durableMcpTransportRegistration", ServletRegistrationBean.class)
                .satisfies((registration) -> assertThat(registration.getUrlMappings()).containsExactly("/mcp"));
            assertThat(context).getBean("durableMcpTransportDrain", DrainOnShutdown.class)
                .satisfies((drain) -> assertThat(drain.getPhase()).isEqualTo(DrainOnShutdown.PHASE));
        });
    }

    @Test
    void theEndpointIsAProperty() {
        this.bareSdk.withPropertyValues("mcp.session.mcp.endpoint=/agents/mcp")
            .run((context) -> assertThat(context)
                .getBean("durableMcpTransportRegistration", ServletRegistrationBean.class)
                .satisfies((registration) -> assertThat(registration.getUrlMappings()).containsExactly("/agents/mcp")));
    }

    @Test
    void whenDisabledThenNoTransport() {
        this.bareSdk.withPropertyValues("mcp.session.mcp.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(DurableMcpTransportProvider.class));
    }

    @Test
    void withoutTheSdkThenNoTransport() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(McpStreamableServerTransportProvider.class))
            .run((context) -> assertThat(context).doesNotHaveBean(DurableMcpTransportProvider.class));
    }

    @Test
    void aUserTransportReplacesOurs() {
        this.bareSdk.withBean("myTransport", DurableMcpTransportProvider.class,
                () -> DurableMcpTransportProvider.builder(new io.mcpsession.store.memory.InMemorySessionStore(
                        io.mcpsession.store.StoreSettings.defaults(), java.time.Clock.systemUTC())).build())
            .run((context) -> assertThat(context).getBeanNames(DurableMcpTransportProvider.class)
                .containsExactly("myTransport"));
    }

    @Test
    void withSpringAiTheTransportWaitsForItsStreamableProtocol() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(DurableMcpTransportProvider.class));
        this.contextRunner.withPropertyValues("spring.ai.mcp.server.protocol=SSE")
            .run((context) -> assertThat(context).doesNotHaveBean(DurableMcpTransportProvider.class));
        this.contextRunner.withPropertyValues("spring.ai.mcp.server.protocol=STREAMABLE", "spring.ai.mcp.server.stdio=true")
            .run((context) -> assertThat(context).doesNotHaveBean(DurableMcpTransportProvider.class));
        this.contextRunner.withPropertyValues("spring.ai.mcp.server.protocol=STREAMABLE")
            .run((context) -> assertThat(context).hasSingleBean(DurableMcpTransportProvider.class));
    }

    @Test
    void withSpringAiItsEndpointPropertyWins() {
        this.contextRunner
            .withPropertyValues("spring.ai.mcp.server.protocol=STREAMABLE",
                    "spring.ai.mcp.server.streamable-http.mcp-endpoint=/ai/mcp", "mcp.session.mcp.endpoint=/ours")
            .run((context) -> assertThat(context)
                .getBean("durableMcpTransportRegistration", ServletRegistrationBean.class)
                .satisfies((registration) -> assertThat(registration.getUrlMappings()).containsExactly("/ai/mcp")));
    }

    @Test
    void theFilterLeavesSpringAisTransportOutOnlyWhenOursReplacesIt() {
        String[] candidates = { SPRING_AI_STREAMABLE, "org.example.OtherAutoConfiguration" };

        assertThat(filter(new MockEnvironment().withProperty("spring.ai.mcp.server.protocol", "STREAMABLE"))
            .match(candidates, null)).containsExactly(false, true);
        assertThat(filter(new MockEnvironment()).match(candidates, null)).containsExactly(true, true);
        assertThat(filter(new MockEnvironment().withProperty("spring.ai.mcp.server.protocol", "STREAMABLE")
            .withProperty("mcp.session.mcp.enabled", "false")).match(candidates, null)).containsExactly(true, true);
    }

    @Test
    void withAModernServerBothErasShareTheEndpoint() {
        this.bareSdk.withBean(McpServer.class, McpSessionMcpAutoConfigurationTests::modernServer).run((context) -> {
            assertThat(context).hasSingleBean(StoreChangeFeed.class).hasBean("modernMcpTransport");
            assertThat(context).getBean("durableMcpTransportRegistration", ServletRegistrationBean.class)
                .satisfies((registration) -> {
                    assertThat(registration.getServlet()).isInstanceOf(DualEraMcpServlet.class);
                    assertThat(registration.getUrlMappings()).containsExactly("/mcp");
                });
        });
    }

    @Test
    void withoutAModernServerTheDurableTransportServesAlone() {
        this.bareSdk.run((context) -> {
            assertThat(context).hasSingleBean(StoreChangeFeed.class).doesNotHaveBean("modernMcpTransport");
            assertThat(context).getBean("durableMcpTransportRegistration", ServletRegistrationBean.class)
                .satisfies((registration) -> assertThat(registration.getServlet())
                    .isInstanceOf(DurableMcpTransportProvider.class));
        });
    }

    @Test
    void requestStateIsSealedWithTheSharedKeyOrKeptInTheStore() {
        this.bareSdk.run((context) -> assertThat(context.getBean(RequestStateCodec.class))
            .isInstanceOf(HmacRequestStateCodec.class));
        this.bareSdk.withPropertyValues("mcp.session.mcp.request-state=store")
            .run((context) -> assertThat(context.getBean(RequestStateCodec.class))
                .isInstanceOf(StoreRequestStateCodec.class));
        this.bareSdk.withPropertyValues("mcp.session.mcp.request-state-key=too-short")
            .run((context) -> assertThatThrownBy(() -> context.getBean(RequestStateCodec.class))
                .hasRootCauseMessage("mcp.session.mcp.request-state-key must be at least 32 characters"));
    }

    @Test
    void aGeneratedKeyIsRefusedWhereInstancesShareTheStore() {
        this.bareSdk.withBean("sharedStore", SessionStore.class, SharedStore::new)
            .run((context) -> assertThatThrownBy(() -> context.getBean(RequestStateCodec.class))
                .rootCause()
                .hasMessageContaining("set mcp.session.mcp.request-state-key to the same key on every instance"));
        this.bareSdk.withBean("sharedStore", SessionStore.class, SharedStore::new)
            .withPropertyValues("mcp.session.mcp.request-state-key=" + "k".repeat(32))
            .run((context) -> assertThat(context.getBean(RequestStateCodec.class))
                .isInstanceOf(HmacRequestStateCodec.class));
    }

    private static McpServer modernServer() {
        return McpServer.builder().serverInfo(Implementation.builder("test", "1.0.0").build()).build();
    }

    /** A store that instances share, as far as its type says. */
    private static final class SharedStore extends ForwardingSessionStore {

        SharedStore() {
            super(new InMemorySessionStore(StoreSettings.defaults(), Clock.systemUTC()));
        }

        @Override
        public String type() {
            return "jdbc";
        }

    }

    private static SpringAiTransportFilter filter(MockEnvironment environment) {
        SpringAiTransportFilter filter = new SpringAiTransportFilter();
        filter.setEnvironment(environment);
        filter.setBeanClassLoader(McpSessionMcpAutoConfigurationTests.class.getClassLoader());
        return filter;
    }

}
