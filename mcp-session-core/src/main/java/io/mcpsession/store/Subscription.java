package io.mcpsession.store;

/**
 * A registration with a store's wake-ups; closing it stops them. Closing twice is harmless.
 */
@FunctionalInterface
public interface Subscription extends AutoCloseable {

    @Override
    void close();

}
