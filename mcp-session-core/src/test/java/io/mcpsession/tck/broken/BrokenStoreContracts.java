package io.mcpsession.tck.broken;

import io.mcpsession.store.memory.InMemorySessionStore;
import io.mcpsession.tck.FeedLiveContract;
import io.mcpsession.tck.MixedContentionContract;

/**
 * Contract groups bound to the deliberately broken stores, and the same groups bound to the correct in-memory
 * store. Only {@link BrokenStoresFailTheKitTests} runs them, through the JUnit Platform launcher: their names end
 * neither in {@code Tests} nor {@code Test}, so neither Maven Surefire nor a JUnit class-path scan picks them up.
 */
final class BrokenStoreContracts {

    private BrokenStoreContracts() {
    }

    static class HalfWrittenBatchesMixedContention extends MixedContentionContract {

        HalfWrittenBatchesMixedContention() {
            super((settings, clock) -> new HalfWrittenBatchStore(new InMemorySessionStore(settings, clock)));
        }

    }

    static class FeedEntryAheadFeedLive extends FeedLiveContract {

        FeedEntryAheadFeedLive() {
            super((settings, clock) -> new FeedEntryAheadStore(new InMemorySessionStore(settings, clock)));
        }

    }

    static class LateFeedFeedLive extends FeedLiveContract {

        LateFeedFeedLive() {
            super((settings, clock) -> new LateFeedStore(new InMemorySessionStore(settings, clock)));
        }

    }

    static class CorrectMixedContention extends MixedContentionContract {

        CorrectMixedContention() {
            super(InMemorySessionStore::new);
        }

    }

    static class CorrectFeedLive extends FeedLiveContract {

        CorrectFeedLive() {
            super(InMemorySessionStore::new);
        }

    }

}
