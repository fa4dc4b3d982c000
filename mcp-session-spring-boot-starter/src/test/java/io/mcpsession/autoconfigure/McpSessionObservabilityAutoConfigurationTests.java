package io.mcpsession.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.observability.McpSessionHealthIndicator;
import io.mcpsession.observability.McpSessionMeterBinder;
import io.mcpsession.observability.ObservedSessionStore;
import io.mcpsession.store.SessionStore;

import static org.assertj.core.api.Assertions.assertThat;

class McpSessionObservabilityAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(McpSessionAutoConfiguration.class,
                McpSessionObservabilityAutoConfiguration.class));

    @Test
    void whenAMeterRegistryExistsThenTheStoreIsInstrumented() {
        this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
            SessionStore store = context.getBean(SessionStore.class);
            assertThat(store).isInstanceOf(ObservedSessionStore.class);
            store.create(NewSession.withId("s"));
            store.append("s", NewEvent.of("t", "1"));
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            assertThat(meters.get("mcp.session.events.appended").tag("store", "memory").counter().count())
                .isEqualTo(1);
            assertThat(context).hasSingleBean(McpSessionMeterBinder.class);
        });
    }

    @Test
    void whenThereIsNoMeterRegistryThenTheStoreIsLeftAlone() {
        this.contextRunner.run((context) -> assertThat(context.getBean(SessionStore.class))
            .isNotInstanceOf(ObservedSessionStore.class));
    }

    @Test
    void whenMicrometerIsMissingThenNoMetrics() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> {
            assertThat(context).doesNotHaveBean(McpSessionMeterBinder.class);
            assertThat(context.getBean(SessionStore.class)).isNotInstanceOf(ObservedSessionStore.class);
        });
    }

    @Test
    void healthReportsTheStore() {
        this.contextRunner.run((context) -> {
            McpSessionHealthIndicator health = context.getBean("mcpSessionHealthIndicator",
                    McpSessionHealthIndicator.class);
            assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
            assertThat(health.health(true).getDetails()).containsEntry("store", "memory");
        });
    }

    @Test
    void healthIndicatorCanBeSwitchedOff() {
        this.contextRunner.withPropertyValues("management.health.mcpSession.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(McpSessionHealthIndicator.class));
    }

}
