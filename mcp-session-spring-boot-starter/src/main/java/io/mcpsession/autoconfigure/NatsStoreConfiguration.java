package io.mcpsession.autoconfigure;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import io.mcpsession.nats.NatsSessionStore;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

/**
 * The NATS JetStream store: chosen where the NATS client is on the class path and a {@link Connection} bean or
 * {@code mcp.session.store.nats.url} exists (or {@code mcp.session.store.type=nats} asks for it), after JDBC and
 * Redis. Without a connection of the application's, one is opened to {@code mcp.session.store.nats.url}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(Connection.class)
@ConditionalOnMissingBean(SessionStore.class)
@Conditional({ StoreCondition.class, NatsStoreConfiguration.NatsWanted.class })
class NatsStoreConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Connection mcpSessionNatsConnection(McpSessionProperties properties) throws IOException, InterruptedException {
        McpSessionProperties.Nats nats = properties.getStore().getNats();
        Options options = Options.builder()
            .server(nats.getUrl())
            .connectionTimeout(nats.getTimeout())
            // Reconnect for as long as the application runs: the store answers 503 meanwhile.
            .maxReconnects(-1)
            .reconnectWait(Duration.ofMillis(500))
            .build();
        return Nats.connect(options);
    }

    @Bean(destroyMethod = "close")
    NatsSessionStore natsSessionStore(Connection connection, StoreSettings settings, McpSessionProperties properties) {
        McpSessionProperties.Nats nats = properties.getStore().getNats();
        return new NatsSessionStore(connection, settings, nats.getPrefix(), Clock.systemUTC(),
                nats.getPositionCheckInterval());
    }

    /** A NATS the application names: a connection bean, a URL, or the store type itself. */
    static class NatsWanted extends AnyNestedCondition {

        NatsWanted() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(Connection.class)
        static class ConnectionBean {

        }

        @ConditionalOnProperty("mcp.session.store.nats.url")
        static class Url {

        }

        @ConditionalOnProperty(name = StoreCondition.PROPERTY, havingValue = "nats")
        static class Chosen {

        }

    }

}
