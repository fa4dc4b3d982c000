package io.mcpsession.autoconfigure;

import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.mock.env.MockEnvironment;

import io.mcpsession.mcp.DurableMcpTransportProvider;

import static org.assertj.core.api.Assertions.assertThat;

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

    private static SpringAiTransportFilter filter(MockEnvironment environment) {
        SpringAiTransportFilter filter = new SpringAiTransportFilter();
        filter.setEnvironment(environment);
        filter.setBeanClassLoader(McpSessionMcpAutoConfigurationTests.class.getClassLoader());
        return filter;
    }

}
