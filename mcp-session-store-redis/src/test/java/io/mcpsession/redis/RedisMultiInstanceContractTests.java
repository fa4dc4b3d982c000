package io.mcpsession.redis;

import io.mcpsession.tck.MultiInstanceContractTests;
import io.mcpsession.tck.SharedStorage;

/**
 * The multi-instance contract against a real Redis ({@link RedisTestServer}): instances share a key prefix of the
 * test's own.
 */
class RedisMultiInstanceContractTests extends MultiInstanceContractTests {

    @Override
    public SharedStorage createSharedStorage() {
        return new SharedKeys();
    }

}
