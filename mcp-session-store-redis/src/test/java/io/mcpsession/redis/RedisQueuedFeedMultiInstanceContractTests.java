package io.mcpsession.redis;

import io.mcpsession.tck.SharedStorage;

/**
 * The multi-instance contract with the feed numbered after the fact by the sequencer, as on a Redis Cluster.
 */
class RedisQueuedFeedMultiInstanceContractTests extends RedisMultiInstanceContractTests {

    @Override
    public SharedStorage createSharedStorage() {
        return new SharedKeys(false);
    }

}
