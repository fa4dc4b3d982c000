package io.mcpsession.mcp.modern;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.modelcontextprotocol.modern.McpSchema.SubscriptionFilter;
import io.modelcontextprotocol.modern.server.feature.ServerChange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.memory.InMemorySessionStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two feeds over one store stand for two instances of a server: a change broadcast through either reaches the
 * listeners of both, once each, in the order of the shared log.
 */
class StoreChangeFeedTests {

    private final SessionStore store = new InMemorySessionStore(StoreSettings.defaults(), Clock.systemUTC());

    private final StoreChangeFeed a = StoreChangeFeed.builder(this.store).build();

    private final StoreChangeFeed b = StoreChangeFeed.builder(this.store).build();

    private final List<Disposable> listeners = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        this.listeners.forEach(Disposable::dispose);
        this.a.close();
        this.b.close();
        this.store.close();
    }

    @Test
    void changesFromEitherInstanceReachTheListenersOfBothOnceInOrder() {
        List<String> heardOnA = listen(this.a);
        List<String> heardOnB = listen(this.b);
        awaitFollowing(this.a, heardOnA);
        awaitFollowing(this.b, heardOnB);
        for (int i = 0; i < 20; i++) {
            (i % 2 == 0 ? this.a : this.b).broadcast(new ServerChange.ResourceUpdated("test://r/" + i));
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("notifications/resources/updated test://r/" + i);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(withoutProbes(heardOnA)).containsExactlyElementsOf(expected);
            assertThat(withoutProbes(heardOnB)).containsExactlyElementsOf(expected);
        });
    }

    @Test
    void theKindsOfChangeSurviveTheLog() {
        List<ServerChange> heard = new CopyOnWriteArrayList<>();
        this.listeners.add(this.b.changes().subscribe(heard::add));
        List<String> probe = listen(this.b);
        awaitFollowing(this.a, probe);
        this.a.broadcast(new ServerChange.ToolsListChanged());
        this.a.broadcast(new ServerChange.PromptsListChanged());
        this.a.broadcast(new ServerChange.ResourcesListChanged());
        this.a.broadcast(new ServerChange.ResourceUpdated("test://watched"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(heard.stream()
            .filter((change) -> !isProbe(change))
            .toList()).containsExactly(new ServerChange.ToolsListChanged(), new ServerChange.PromptsListChanged(),
                    new ServerChange.ResourcesListChanged(), new ServerChange.ResourceUpdated("test://watched")));
        ServerChange updated = heard.stream().filter(ServerChange.ResourceUpdated.class::isInstance)
            .filter((change) -> !isProbe(change))
            .findFirst()
            .orElseThrow();
        assertThat(updated.isHonouredBy(SubscriptionFilter.of(Map.of(
                SubscriptionFilter.RESOURCE_SUBSCRIPTIONS, List.of("test://watched"))))).isTrue();
        assertThat(updated.isHonouredBy(SubscriptionFilter.of(Map.of(
                SubscriptionFilter.RESOURCE_SUBSCRIPTIONS, List.of("test://other"))))).isFalse();
    }

    @Test
    void aLogDeletedUnderTheFeedsStartsAgainAndListenersHearWhatFollows() {
        List<String> heard = listen(this.b);
        awaitFollowing(this.a, heard);
        this.store.delete(StoreChangeFeed.DEFAULT_SESSION_ID);
        // Each probe is broadcast until one arrives: B follows the new log once it has noticed the deletion.
        awaitFollowing(this.a, heard);
        this.a.broadcast(new ServerChange.ResourceUpdated("test://after"));
        await().atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(withoutProbes(heard))
                .containsExactly("notifications/resources/updated test://after"));
    }

    private List<String> listen(StoreChangeFeed feed) {
        List<String> heard = new CopyOnWriteArrayList<>();
        this.listeners.add(feed.changes().subscribe((change) -> heard.add(change.method()
                + ((change instanceof ServerChange.ResourceUpdated updated) ? " " + updated.uri() : ""))));
        return heard;
    }

    /**
     * Waits until {@code heard} receives a probe broadcast through {@code from}: its feed follows the log from then
     * on. A feed starts following in the background, and only changes after that reach it.
     */
    private static void awaitFollowing(StoreChangeFeed from, List<String> heard) {
        String probe = "test://probe/" + System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            from.broadcast(new ServerChange.ResourceUpdated(probe));
            return heard.contains("notifications/resources/updated " + probe);
        });
    }

    private static List<String> withoutProbes(List<String> heard) {
        return heard.stream().filter((entry) -> !entry.contains("test://probe/")).toList();
    }

    private static boolean isProbe(ServerChange change) {
        return change instanceof ServerChange.ResourceUpdated updated && updated.uri().startsWith("test://probe/");
    }

}
