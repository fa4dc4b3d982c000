package io.mcpsession.dynamodb;

import java.time.Clock;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.tck.SessionStoreContractTests;

/**
 * The whole store contract on DynamoDB (dynalite unless {@code MCP_SESSION_TEST_DYNAMODB_URL} names a server),
 * each store on tables of its own.
 */
class DynamoDbSessionStoreContractTests extends SessionStoreContractTests {

    @Override
    public SessionStore createStore(StoreSettings settings, Clock clock) {
        return TestStores.create(settings, clock);
    }

}
