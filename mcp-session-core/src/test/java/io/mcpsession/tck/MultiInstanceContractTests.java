package io.mcpsession.tck;

import org.junit.jupiter.api.Nested;

/**
 * The multi-instance contract: several store instances over one storage, as several application instances share
 * one database or Redis (SPEC §1: "any instance can serve any session, and a reader on instance B wakes when
 * instance A appends"). A store's test extends this class only if its store shares storage between instances and
 * implements {@link #createSharedStorage()}; the in-memory store does not share, so it has no such test.
 */
public abstract class MultiInstanceContractTests implements SharedStoreFactory {

    @Nested
    class Races extends MultiInstanceRacesContract {

        Races() {
            super(MultiInstanceContractTests.this);
        }

    }

    @Nested
    class WakeUps extends MultiInstanceWakeUpsContract {

        WakeUps() {
            super(MultiInstanceContractTests.this);
        }

    }

    @Nested
    class Feed extends MultiInstanceFeedContract {

        Feed() {
            super(MultiInstanceContractTests.this);
        }

    }

    @Nested
    class Sweeps extends MultiInstanceSweepContract {

        Sweeps() {
            super(MultiInstanceContractTests.this);
        }

    }

    @Nested
    class Wipe extends MultiInstanceWipeContract {

        Wipe() {
            super(MultiInstanceContractTests.this);
        }

    }

}
