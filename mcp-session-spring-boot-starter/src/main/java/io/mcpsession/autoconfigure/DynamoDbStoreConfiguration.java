package io.mcpsession.autoconfigure;

import java.net.URI;
import java.time.Clock;

import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import io.mcpsession.dynamodb.DynamoDbSessionStore;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

/**
 * The DynamoDB store: chosen where the AWS SDK's DynamoDB client is on the class path and a {@link DynamoDbClient}
 * bean exists (or {@code mcp.session.store.type=dynamodb} asks for it), after JDBC, Redis and NATS. Without a
 * client of the application's, one is built from {@code mcp.session.store.dynamodb.region} and {@code .endpoint},
 * with credentials from the AWS SDK's default chain.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(DynamoDbClient.class)
@ConditionalOnMissingBean(SessionStore.class)
@Conditional({ StoreCondition.class, DynamoDbStoreConfiguration.DynamoDbWanted.class })
class DynamoDbStoreConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    DynamoDbClient mcpSessionDynamoDbClient(McpSessionProperties properties) {
        McpSessionProperties.DynamoDb dynamodb = properties.getStore().getDynamodb();
        DynamoDbClientBuilder builder = DynamoDbClient.builder();
        if (dynamodb.getRegion() != null) {
            builder.region(Region.of(dynamodb.getRegion()));
        }
        if (dynamodb.getEndpoint() != null) {
            builder.endpointOverride(dynamodb.getEndpoint());
        }
        return builder.build();
    }

    @Bean(destroyMethod = "close")
    DynamoDbSessionStore dynamoDbSessionStore(DynamoDbClient client, StoreSettings settings,
            McpSessionProperties properties) {
        McpSessionProperties.DynamoDb dynamodb = properties.getStore().getDynamodb();
        URI endpoint = dynamodb.getEndpoint();
        boolean createTables = (dynamodb.getCreateTables() != null) ? dynamodb.getCreateTables()
                : DynamoDbSessionStore.createTablesByDefault(endpoint);
        return new DynamoDbSessionStore(client, settings, dynamodb.getTablePrefix(), Clock.systemUTC(),
                dynamodb.getPollInterval(), createTables);
    }

    /** A DynamoDB the application names: a client bean, or the store type itself. */
    static class DynamoDbWanted extends AnyNestedCondition {

        DynamoDbWanted() {
            super(ConfigurationPhase.REGISTER_BEAN);
        }

        @ConditionalOnBean(DynamoDbClient.class)
        static class ClientBean {

        }

        @ConditionalOnProperty(name = StoreCondition.PROPERTY, havingValue = "dynamodb")
        static class Chosen {

        }

    }

}
