package io.mcpsession.tck.broken;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestExecutionResult.Status;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.EngineFilter;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The contract kit catches the faults it is written for: the groups that check batches and the live feed fail
 * against a store that shows half a batch, one that shows a feed entry before the one before it and one that
 * shows feed entries later than the spec allows, and pass against the correct in-memory store.
 */
class BrokenStoresFailTheKitTests {

    @Test
    void halfWrittenBatchFailsEveryMixedContentionTest() {
        Map<String, TestExecutionResult> results = run(BrokenStoreContracts.HalfWrittenBatchesMixedContention.class);

        assertThat(results).containsOnlyKeys("mixedAppendsToOneSessionKeepTheLogWhole",
                "mixedAppendsToManySessionsKeepEachLogWhole", "mixedAppendsToRejectingLogFillItExactlyAndHalfWriteNothing");
        results.forEach((test, result) -> {
            assertThat(result.getStatus()).as(test).isEqualTo(Status.FAILED);
            assertThat(result.getThrowable()).as(test).get().asString().contains("inside batch");
        });
    }

    @Test
    void feedEntryShownBeforeItsPredecessorFailsFeedLive() {
        Map<String, TestExecutionResult> results = run(BrokenStoreContracts.FeedEntryAheadFeedLive.class);

        assertThat(results).containsOnlyKeys("followerSeesEveryEntryInOrderWithoutGapsAndInTime");
        results.forEach((test, result) -> {
            assertThat(result.getStatus()).as(test).isEqualTo(Status.FAILED);
            assertThat(result.getThrowable()).as(test).get().asString().contains("a gap");
        });
    }

    @Test
    void feedEntryShownTooLateFailsFeedLive() {
        Map<String, TestExecutionResult> results = run(BrokenStoreContracts.LateFeedFeedLive.class);

        assertThat(results).containsOnlyKeys("followerSeesEveryEntryInOrderWithoutGapsAndInTime");
        results.forEach((test, result) -> {
            assertThat(result.getStatus()).as(test).isEqualTo(Status.FAILED);
            assertThat(result.getThrowable()).as(test).get().asString().contains("not visible within");
        });
    }

    @Test
    void correctStorePassesTheSameGroups() {
        Map<String, TestExecutionResult> mixed = run(BrokenStoreContracts.CorrectMixedContention.class);
        Map<String, TestExecutionResult> feed = run(BrokenStoreContracts.CorrectFeedLive.class);

        assertThat(mixed).hasSize(3);
        assertThat(feed).hasSize(1);
        mixed.forEach((test, result) -> assertThat(result.getStatus()).as(test).isEqualTo(Status.SUCCESSFUL));
        feed.forEach((test, result) -> assertThat(result.getStatus()).as(test).isEqualTo(Status.SUCCESSFUL));
    }

    /** Runs the tests of {@code contract} with the Jupiter engine; the result of each by method name. */
    private static Map<String, TestExecutionResult> run(Class<?> contract) {
        Map<String, TestExecutionResult> results = new ConcurrentHashMap<>();
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClass(contract))
            .filters(EngineFilter.includeEngines("junit-jupiter"))
            .build();
        Launcher launcher = LauncherFactory.create(LauncherConfig.builder()
            .enableTestExecutionListenerAutoRegistration(false)
            .build());
        launcher.execute(request, new TestExecutionListener() {

            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest() && test.getSource().orElse(null) instanceof MethodSource method) {
                    results.put(method.getMethodName(), result);
                }
            }

        });
        return results;
    }

}
