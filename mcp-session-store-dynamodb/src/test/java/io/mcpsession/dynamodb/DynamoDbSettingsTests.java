package io.mcpsession.dynamodb;

import java.net.URI;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * What the store decides from its settings: where it creates tables by default, which prefixes it takes, and
 * how it fails without tables.
 */
class DynamoDbSettingsTests {

    @Test
    void tablesAreCreatedByDefaultForALocalEndpointOnly() {
        assertThat(DynamoDbSessionStore.createTablesByDefault(URI.create("http://localhost:8000"))).isTrue();
        assertThat(DynamoDbSessionStore.createTablesByDefault(URI.create("http://127.0.0.1:4567"))).isTrue();
        assertThat(DynamoDbSessionStore.createTablesByDefault(URI.create("http://[::1]:4567"))).isTrue();
        assertThat(DynamoDbSessionStore.createTablesByDefault(null)).isFalse();
        assertThat(DynamoDbSessionStore.createTablesByDefault(URI.create("https://dynamodb.eu-west-1.amazonaws.com")))
            .isFalse();
    }

    @Test
    void tablePrefixTakesOnlyTableNameCharacters() {
        assertThat(new DynamoDbTables("mcp_").sessions).isEqualTo("mcp_sessions");
        assertThat(new DynamoDbTables("mcp_").events).isEqualTo("mcp_events");
        assertThatIllegalArgumentException().isThrownBy(() -> new DynamoDbTables("bad prefix"));
    }

    @Test
    void missingTablesFailStartUpNamingTheTableAndTheSetting() {
        assertThatIllegalStateException()
            .isThrownBy(() -> new DynamoDbSessionStore(TestStores.client(), io.mcpsession.store.StoreSettings.defaults(),
                    TestStores.newPrefix(), java.time.Clock.systemUTC(), TestStores.POLL_INTERVAL))
            .withMessageContaining("sessions' does not exist")
            .withMessageContaining("create-tables=true");
    }

}
