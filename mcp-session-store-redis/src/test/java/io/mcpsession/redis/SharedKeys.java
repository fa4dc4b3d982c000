package io.mcpsession.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.tck.SharedStorage;

/**
 * A key prefix of its own on the test Redis, shared by several store instances the way application instances
 * share it: each instance has its own connection factory. Closing closes the instances and deletes the keys.
 */
final class SharedKeys implements SharedStorage {

    /** How often the kit's instances check positions (what no hint told them, a wipe): often, so tests end soon. */
    private static final Duration POSITION_CHECK = Duration.ofMillis(200);

    private final String prefix = RedisTestServer.newKeyPrefix();

    private final List<RedisSessionStore> stores = new ArrayList<>();

    private final List<LettuceConnectionFactory> factories = new ArrayList<>();

    private final boolean feedInline;

    /** Instances that number the feed inline, as on any one Redis. */
    SharedKeys() {
        this(true);
    }

    /** @param feedInline whether instances number the feed inline or leave it to the sequencer, as on a cluster */
    SharedKeys(boolean feedInline) {
        this.feedInline = feedInline;
    }

    @Override
    public SessionStore openInstance(StoreSettings settings, Clock clock) {
        return instance(settings, clock, POSITION_CHECK);
    }

    /** A new instance over the keys, with a connection factory of its own. */
    synchronized RedisSessionStore instance(StoreSettings settings, Clock clock, Duration positionCheck) {
        LettuceConnectionFactory factory = RedisTestServer.newConnectionFactory(RedisTestServer.url(),
                Duration.ofSeconds(10));
        this.factories.add(factory);
        RedisSessionStore store = new RedisSessionStore(factory, settings, this.prefix, clock, positionCheck,
                this.feedInline);
        this.stores.add(store);
        return store;
    }

    /** Deletes every key of the store, as {@code FLUSHDB} would on a Redis of its own. */
    @Override
    public void wipe() {
        RedisTestServer.deleteKeys(this.prefix);
    }

    @Override
    public synchronized void close() {
        this.stores.forEach(RedisSessionStore::close);
        this.factories.forEach(LettuceConnectionFactory::destroy);
        RedisTestServer.deleteKeys(this.prefix);
    }

}
