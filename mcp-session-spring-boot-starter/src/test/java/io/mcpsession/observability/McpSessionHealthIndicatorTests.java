package io.mcpsession.observability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.StoreSweeper;
import io.mcpsession.store.memory.InMemorySessionStore;
import io.mcpsession.tck.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class McpSessionHealthIndicatorTests {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

    private final SessionStore store = new InMemorySessionStore(StoreSettings.defaults(), this.clock);

    private final StoreSweeper sweeper = new StoreSweeper(this.store, Duration.ofMinutes(1), (result) -> {
    }, this.clock);

    @AfterEach
    void stop() {
        this.sweeper.close();
    }

    @Test
    void upWhenTheStoreAnswersAndTheSweeperRuns() {
        this.sweeper.start();
        Health health = indicator(this.store).health(true);
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("store", "memory").containsEntry("sweeper", "alive");
    }

    @Test
    void downWhenTheStoreIsUnreachable() {
        SessionStore broken = mock(SessionStore.class);
        given(broken.find(anyString()))
            .willThrow(new McpSessionException(ErrorCode.STORE_UNAVAILABLE, "The store is unavailable"));
        given(broken.describe()).willReturn("redis");
        this.sweeper.start();
        Health health = indicator(broken).health(true);
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("error", "The store is unavailable");
    }

    @Test
    void downDetailsNameNoClass() {
        SessionStore broken = mock(SessionStore.class);
        given(broken.find(anyString())).willThrow(new IllegalStateException("Connection refused"));
        given(broken.describe()).willReturn("redis");
        this.sweeper.start();
        Health health = indicator(broken).health(true);
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("error", "The store did not answer")
            .containsEntry("store", "redis");
        assertThat(health.getDetails().toString()).doesNotContain("Exception").doesNotContain("java.");
    }

    @Test
    void downWhenTheSweeperIsNotRunning() {
        Health health = indicator(this.store).health(true);
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("sweeper", "stalled");
    }

    @Test
    void downWhenTheSweeperHasNotSweptForThreeIntervals() {
        this.sweeper.start();
        McpSessionHealthIndicator indicator = indicator(this.store);
        this.clock.advance(Duration.ofMinutes(4));
        assertThat(indicator.health(true).getStatus()).isEqualTo(Status.DOWN);
        this.sweeper.sweepOnce();
        assertThat(indicator.health(true).getStatus()).isEqualTo(Status.UP);
    }

    private McpSessionHealthIndicator indicator(SessionStore store) {
        return new McpSessionHealthIndicator(store, this.sweeper, Duration.ofMinutes(1), this.clock);
    }

}
