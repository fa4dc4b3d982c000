package io.mcpsession.autoconfigure;

import org.springframework.context.SmartLifecycle;

import io.mcpsession.store.SessionStore;

/**
 * Closes the Redis store while Redis is still reachable: after the web server has stopped taking requests
 * (its lifecycle phases are {@code DEFAULT_PHASE - 1024} and {@code - 2048}) and before Spring Data Redis stops
 * its connection factory (phase 0), so the store's background work ends cleanly instead of failing against a
 * stopped factory.
 */
class RedisStoreLifecycle implements SmartLifecycle {

    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final SessionStore store;

    private volatile boolean running;

    RedisStoreLifecycle(SessionStore store) {
        this.store = store;
    }

    @Override
    public void start() {
        this.running = true;
    }

    @Override
    public void stop() {
        this.running = false;
        this.store.close();
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

}
