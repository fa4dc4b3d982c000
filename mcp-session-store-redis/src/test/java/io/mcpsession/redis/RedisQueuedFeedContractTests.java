package io.mcpsession.redis;

/**
 * The whole store contract with the feed numbered after the fact by the sequencer, as on a Redis Cluster (where a
 * session's script cannot write the feed's slot), here on the test Redis.
 */
class RedisQueuedFeedContractTests extends RedisSessionStoreContractTests {

    @Override
    boolean feedInline() {
        return false;
    }

}
