package io.mcpsession.tck;

import org.junit.jupiter.api.Nested;

/**
 * The whole store contract. A store's test extends this class and implements
 * {@link #createStore(io.mcpsession.store.StoreSettings, java.time.Clock)}; JUnit runs every group below against
 * it.
 */
public abstract class SessionStoreContractTests implements StoreFactory {

    @Nested
    class Sessions extends SessionsContract {

        Sessions() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class SessionList extends SessionListContract {

        SessionList() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class State extends StateContract {

        State() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class Sequencing extends SequencingContract {

        Sequencing() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class Idempotency extends IdempotencyContract {

        Idempotency() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class Batch extends BatchContract {

        Batch() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class Reads extends ReadsContract {

        Reads() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class Retention extends RetentionContract {

        Retention() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class Waiting extends WaitingContract {

        Waiting() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class Expiry extends ExpiryContract {

        Expiry() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class Feed extends FeedContract {

        Feed() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class FeedScope extends FeedScopeContract {

        FeedScope() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class FeedCursors extends FeedCursorContract {

        FeedCursors() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class Limits extends LimitsContract {

        Limits() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class Concurrency extends ConcurrencyContract {

        Concurrency() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class PageBudget extends PageBudgetContract {

        PageBudget() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class MixedContention extends MixedContentionContract {

        MixedContention() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class FeedLive extends FeedLiveContract {

        FeedLive() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class Sweeps extends SweepContract {

        Sweeps() {
            super(SessionStoreContractTests.this);
        }

    }

    @Nested
    class ProducerTimestamp extends ProducerTimestampContract {

        ProducerTimestamp() {
            super(SessionStoreContractTests.this);
        }

    }

}
