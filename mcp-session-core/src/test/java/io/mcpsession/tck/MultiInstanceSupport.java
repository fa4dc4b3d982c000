package io.mcpsession.tck;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;

import io.mcpsession.core.FeedQuery;
import io.mcpsession.store.FeedListener;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

/**
 * What every multi-instance group shares: one storage per test (removed after it, with its instances), the clock
 * of every instance, and small helpers. The single-store helpers are {@link ContractSupport}'s.
 */
public abstract class MultiInstanceSupport {

    /** The clock of every instance this test opens: one clock, as instances share one wall clock. */
    protected final MutableClock clock = MutableClock.startingNow();

    private final SharedStoreFactory factory;

    private SharedStorage storage;

    /** Runs what a listener must not run on a store's notification thread (a read). */
    private final ExecutorService listenerWork = Executors.newCachedThreadPool();

    protected MultiInstanceSupport(SharedStoreFactory factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** The storage of this test, created on first use. */
    protected synchronized SharedStorage storage() {
        if (this.storage == null) {
            this.storage = this.factory.createSharedStorage();
        }
        return this.storage;
    }

    /** {@code count} instances over this test's storage with the contract's default settings. */
    protected List<SessionStore> instances(int count) {
        return instances(count, StoreSettings.defaults());
    }

    /** {@code count} instances over this test's storage with {@code settings}. */
    protected List<SessionStore> instances(int count, StoreSettings settings) {
        List<SessionStore> instances = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            instances.add(storage().openInstance(settings, this.clock));
        }
        return instances;
    }

    @AfterEach
    synchronized void closeStorage() {
        this.listenerWork.shutdownNow();
        if (this.storage != null) {
            this.storage.close();
            this.storage = null;
        }
    }

    /**
     * A feed listener that counts {@code reached} down once {@code store}'s feed has reached {@code latest}: at
     * once when the store reports that seq, and by reading {@code store} when it only reports that the feed moved.
     */
    protected FeedListener feedReached(SessionStore store, long latest, CountDownLatch reached) {
        return (reported) -> {
            if (reported >= latest) {
                reached.countDown();
            }
            else if (reported == -1) {
                this.listenerWork.execute(() -> {
                    if (store.readFeed(FeedQuery.after(0).withLimit(1)).latest() >= latest) {
                        reached.countDown();
                    }
                });
            }
        };
    }

}
