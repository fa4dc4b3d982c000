package io.mcpsession.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.mcpsession.store.SessionStore;
import io.mcpsession.testengines.TestDynamodb;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application with the documented {@code dynamodb} profile, against the tests' DynamoDB-compatible
 * server ({@link TestDynamodb}) as its endpoint: the tables (of a prefix of their own) are created at start-up and
 * dropped afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("dynamodb")
class SampleApplicationDynamodbTests {

    private static final String PREFIX = "s" + UUID.randomUUID().toString().replace("-", "").substring(0, 12) + "_";

    static {
        // The AWS SDK's default credentials chain; any credentials do for a local server.
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final JsonMapper json = JsonMapper.builder().build();

    @LocalServerPort
    private int port;

    @Autowired
    private SessionStore store;

    @DynamicPropertySource
    static void dynamodb(DynamicPropertyRegistry registry) {
        registry.add("mcp.session.store.dynamodb.endpoint", TestDynamodb::url);
        registry.add("mcp.session.store.dynamodb.table-prefix", () -> PREFIX);
    }

    @AfterAll
    static void dropTables() {
        try (DynamoDbClient client = DynamoDbClient.builder()
            .endpointOverride(URI.create(TestDynamodb.url()))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
            .build()) {
            client.listTables()
                .tableNames()
                .stream()
                .filter((name) -> name.startsWith(PREFIX))
                .forEach((name) -> client.deleteTable((request) -> request.tableName(name)));
        }
    }

    @Test
    void theDynamodbProfileServesTheApiFromItsTables() throws Exception {
        assertThat(this.store.type()).isEqualTo("dynamodb");
        assertThat(get("/actuator/health").at("/components/mcpSession/status").asString()).isEqualTo("UP");

        String sessionId = post("/mcp-sessions", "{}").get("id").asString();
        post("/mcp-sessions/" + sessionId + "/events", "{\"id\":\"e1\",\"data\":{\"on\":\"dynamodb\"}}");

        JsonNode page = get("/mcp-sessions/" + sessionId + "/events");
        assertThat(page.get("events")).singleElement().satisfies((event) -> {
            assertThat(event.get("seq").asLong()).isEqualTo(1);
            assertThat(event.at("/data/on").asString()).isEqualTo("dynamodb");
        });
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return this.json.readTree(response.body());
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return this.json.readTree(response.body());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return this.http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + this.port + path);
    }

}
