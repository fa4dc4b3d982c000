package io.mcpsession.autoconfigure;

import java.net.URI;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.mcpsession.core.NewSession;
import io.mcpsession.dynamodb.DynamoDbSessionStore;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.memory.InMemorySessionStore;
import io.mcpsession.testengines.TestDynamodb;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Selection of the DynamoDB store, against the tests' DynamoDB-compatible server ({@link TestDynamodb}); every
 * context has tables of its own, dropped afterwards.
 */
class DynamoDbStoreConfigurationTests {

    private final String prefix = "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "_";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(McpSessionAutoConfiguration.class))
        .withPropertyValues("mcp.session.store.dynamodb.table-prefix=" + this.prefix);

    @Test
    void dynamodbIsDetectedWhereAClientExistsAndCreatesItsTablesWhenAskedTo() {
        try (DynamoDbClient client = testClient()) {
            this.contextRunner.withBean(DynamoDbClient.class, () -> client)
                .withPropertyValues("mcp.session.store.dynamodb.create-tables=true")
                .run((context) -> {
                    assertThat(context).hasSingleBean(DynamoDbSessionStore.class);
                    assertThat(context.getBean(SessionStore.class).type()).isEqualTo("dynamodb");
                    assertThat(context.getBean(DynamoDbClient.class)).isSameAs(client);
                    storesInTheTables(context, client);
                });
        }
    }

    @Test
    void explicitDynamodbTypeBuildsAClientFromRegionAndEndpointAndCreatesTablesOnALocalEndpoint() {
        this.contextRunner
            .withPropertyValues("mcp.session.store.type=dynamodb", "mcp.session.store.dynamodb.region=us-east-1",
                    "mcp.session.store.dynamodb.endpoint=" + TestDynamodb.url())
            // The SDK's default chain: any credentials do for a local server.
            .withSystemProperties("aws.accessKeyId=test", "aws.secretAccessKey=test")
            .run((context) -> {
                assertThat(context).hasSingleBean(DynamoDbSessionStore.class).hasSingleBean(DynamoDbClient.class);
                DynamoDbClient client = context.getBean(DynamoDbClient.class);
                assertThat(client.serviceClientConfiguration().endpointOverride())
                    .contains(URI.create(TestDynamodb.url()));
                storesInTheTables(context, client);
            });
    }

    @Test
    void withoutCreateTablesMissingTablesFailStartUpSayingWhatToDo() {
        try (DynamoDbClient client = testClient()) {
            this.contextRunner.withBean(DynamoDbClient.class, () -> client)
                .run((context) -> assertThat(context).getFailure()
                    .rootCause()
                    .hasMessageContaining(this.prefix + "sessions"));
        }
    }

    @Test
    void withoutAClientTheStoreIsInMemory() {
        this.contextRunner.run((context) -> assertThat(context).hasSingleBean(InMemorySessionStore.class)
            .doesNotHaveBean(DynamoDbSessionStore.class)
            .doesNotHaveBean(DynamoDbClient.class));
    }

    @Test
    void whenDynamodbTypeHasNoClientLibraryThenStartUpFailsClearly() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(DynamoDbClient.class))
            .withPropertyValues("mcp.session.store.type=dynamodb")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .hasMessageContaining("mcp.session.store.type is 'dynamodb'")
                .hasMessageContaining("software.amazon.awssdk:dynamodb"));
    }

    /** The store works in tables of the configured prefix, which go afterwards. */
    private void storesInTheTables(AssertableApplicationContext context, DynamoDbClient client) {
        try {
            SessionStore store = context.getBean(SessionStore.class);
            store.create(NewSession.withId("configured"));
            assertThat(store.find("configured")).isPresent();
            assertThat(client.listTables().tableNames()).contains(this.prefix + "sessions", this.prefix + "events");
        }
        finally {
            context.getBean(DynamoDbSessionStore.class).close();
            client.listTables()
                .tableNames()
                .stream()
                .filter((name) -> name.startsWith(this.prefix))
                .forEach((name) -> client.deleteTable((request) -> request.tableName(name)));
        }
    }

    private static DynamoDbClient testClient() {
        return DynamoDbClient.builder()
            .endpointOverride(URI.create(TestDynamodb.url()))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build();
    }

}
