package io.mcpsession.web;

import java.util.List;

import io.mcpsession.redis.RedisTestServer;

/**
 * The replay-to-live handoff on Redis, under a key prefix of its own: instances wake each other with pub/sub.
 */
class RedisSseHandoffTests extends SseHandoffTestSupport {

    private final String keyPrefix = RedisTestServer.newKeyPrefix();

    @Override
    List<String> storeArguments() {
        return List.of("--mcp.session.store.type=redis", "--spring.data.redis.url=" + RedisTestServer.url(),
                "--mcp.session.store.redis.key-prefix=" + this.keyPrefix);
    }

    @Override
    void deleteStoredData() {
        RedisTestServer.deleteKeys(this.keyPrefix);
    }

}
