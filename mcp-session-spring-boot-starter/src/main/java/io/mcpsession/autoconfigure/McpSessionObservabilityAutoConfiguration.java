package io.mcpsession.autoconfigure;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.mcpsession.observability.McpSessionHealthIndicator;
import io.mcpsession.observability.McpSessionMeterBinder;
import io.mcpsession.observability.SessionStoreObservationPostProcessor;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSweeper;
import io.mcpsession.web.SessionStreams;

/**
 * Auto-configuration of mcp-session's meters, observations and health indicator, where the application has
 * Micrometer and Spring Boot's health support.
 */
@AutoConfiguration(after = { McpSessionAutoConfiguration.class, McpSessionWebAutoConfiguration.class },
        afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration")
@ConditionalOnBean(SessionStore.class)
public final class McpSessionObservabilityAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    static class MetricsConfiguration {

        @Bean
        static SessionStoreObservationPostProcessor mcpSessionStoreObservationPostProcessor(
                ObjectProvider<MeterRegistry> meterRegistry, ObjectProvider<ObservationRegistry> observationRegistry) {
            return new SessionStoreObservationPostProcessor(meterRegistry, observationRegistry);
        }

        @Bean
        @ConditionalOnMissingBean
        McpSessionMeterBinder mcpSessionMeterBinder(SessionStore store, ObjectProvider<SessionStreams> streams) {
            return new McpSessionMeterBinder(store, streams.getIfAvailable());
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(AbstractHealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("mcpSession")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "mcpSessionHealthIndicator")
        McpSessionHealthIndicator mcpSessionHealthIndicator(SessionStore store, StoreSweeper sweeper,
                McpSessionProperties properties) {
            return new McpSessionHealthIndicator(store, sweeper, properties.getSweep().getInterval(),
                    Clock.systemUTC());
        }

    }

}
