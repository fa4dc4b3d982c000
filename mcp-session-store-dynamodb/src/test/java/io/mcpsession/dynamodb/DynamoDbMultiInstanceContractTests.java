package io.mcpsession.dynamodb;

import io.mcpsession.tck.MultiInstanceContractTests;
import io.mcpsession.tck.SharedStorage;

/**
 * The multi-instance contract on DynamoDB: instances over one table prefix, each with a client of its own, and a
 * wipe that deletes every item under them.
 */
class DynamoDbMultiInstanceContractTests extends MultiInstanceContractTests {

    @Override
    public SharedStorage createSharedStorage() {
        return new SharedTables();
    }

}
