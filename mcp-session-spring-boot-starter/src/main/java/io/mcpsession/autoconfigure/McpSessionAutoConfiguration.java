package io.mcpsession.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.type.AnnotationMetadata;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.StoreSweeper;

/**
 * Auto-configuration of mcp-session's store: the one {@code mcp.session.store.type} names, or the first
 * available of JDBC, Redis and memory, and the sweeper that expires sessions and enforces retention.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
        "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration" })
@EnableConfigurationProperties(McpSessionProperties.class)
@Import(McpSessionAutoConfiguration.StoreConfigurationImportSelector.class)
public final class McpSessionAutoConfiguration {

    private static final Log logger = LogFactory.getLog(McpSessionAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    StoreSettings mcpSessionStoreSettings(McpSessionProperties properties) {
        return properties.toStoreSettings();
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    @ConditionalOnMissingBean
    @DependsOn("mcpSessionStoreValidator")
    StoreSweeper mcpSessionStoreSweeper(SessionStore store, McpSessionProperties properties) {
        return new StoreSweeper(store, properties.getSweep().getInterval(), (result) -> {
        });
    }

    @Bean
    StoreValidator mcpSessionStoreValidator(McpSessionProperties properties, ObjectProvider<SessionStore> store) {
        return new StoreValidator(properties, store);
    }

    /** Fails start-up clearly when the store named by {@code mcp.session.store.type} could not be configured. */
    static class StoreValidator implements InitializingBean {

        private final McpSessionProperties properties;

        private final ObjectProvider<SessionStore> store;

        StoreValidator(McpSessionProperties properties, ObjectProvider<SessionStore> store) {
            this.properties = properties;
            this.store = store;
        }

        @Override
        public void afterPropertiesSet() {
            StoreType type = this.properties.getStore().getType();
            SessionStore store = this.store.getIfAvailable();
            if (store == null) {
                throw new IllegalStateException("No mcp-session store could be configured"
                        + ((type != null) ? " (" + StoreCondition.PROPERTY + " is '" + type.name().toLowerCase(java.util.Locale.ROOT)
                                + "'). " + requirementOf(type) : "."));
            }
            logger.info("mcp-session store: " + store.describe());
        }

        private static String requirementOf(StoreType type) {
            if (!StoreConfigurations.isAvailable(type)) {
                return "This version of mcp-session has no " + type + " store.";
            }
            return switch (type) {
                case JDBC -> "The jdbc store needs a DataSource bean (spring-boot-starter-jdbc and a driver).";
                case REDIS -> "The redis store needs a RedisConnectionFactory bean (spring-boot-starter-data-redis).";
                case NATS -> "The nats store needs the NATS client (io.nats:jnats) on the class path.";
                case DYNAMODB -> "The dynamodb store needs the AWS SDK's DynamoDB client "
                        + "(software.amazon.awssdk:dynamodb) on the class path.";
                case MEMORY -> "The memory store is always available; was it replaced by a conditional bean?";
            };
        }

    }

    /** Imports every store configuration, in detection order. */
    static class StoreConfigurationImportSelector implements ImportSelector {

        @Override
        public String[] selectImports(AnnotationMetadata importingClassMetadata) {
            return StoreConfigurations.configurationClasses();
        }

    }

}
