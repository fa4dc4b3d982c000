package io.mcpsession.observability;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import io.mcpsession.core.EventQuery;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.memory.InMemorySessionStore;
import io.mcpsession.tck.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

class ObservedSessionStoreTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private final TestObservationRegistry observations = TestObservationRegistry.create();

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

    private final ObservedSessionStore store = new ObservedSessionStore(
            new InMemorySessionStore(StoreSettings.defaults().withTimeout(Duration.ofMinutes(1)), this.clock),
            this.meters, this.observations);

    @Test
    void appendsAndDuplicatesAreCountedApart() {
        this.store.create(NewSession.withId("s"));
        this.store.append("s", NewEvent.of("e1", "t", "1"));
        this.store.append("s", NewEvent.of("e1", "t", "1"));
        this.store.appendAll("s", java.util.List.of(NewEvent.of("e2", "t", "2"), NewEvent.of("e1", "t", "1")));

        assertThat(count("mcp.session.events.appended")).isEqualTo(2);
        assertThat(count("mcp.session.events.duplicates")).isEqualTo(2);
        assertThat(this.meters.get("mcp.session.events.append").tag("store", "memory").timer().count()).isEqualTo(3);
    }

    @Test
    void lifecycleIsCounted() {
        this.store.create(NewSession.withId("a"));
        this.store.create(NewSession.withId("b"));
        this.store.delete("a");
        this.store.delete("missing");
        this.clock.advance(Duration.ofMinutes(2));
        this.store.sweep();

        assertThat(count("mcp.session.created")).isEqualTo(2);
        assertThat(count("mcp.session.deleted")).isEqualTo(1);
        assertThat(count("mcp.session.expired")).isEqualTo(1);
        assertThat(count("mcp.session.sweep.deleted")).isEqualTo(1);
        assertThat(this.meters.get("mcp.session.sweep").timer().count()).isEqualTo(1);
    }

    @Test
    void replayedEventsAndResetsAreCounted() {
        this.store.create(NewSession.withId("s"));
        for (int i = 0; i < 5; i++) {
            this.store.append("s", NewEvent.of("t", Integer.toString(i)));
        }
        this.store.deleteBefore("s", 3);
        this.store.read("s", EventQuery.after(0));
        this.store.read("s", EventQuery.after(4).withEpoch("another"));

        assertThat(count("mcp.session.events.replayed")).isEqualTo(6);
        assertThat(this.meters.get("mcp.session.resets").tag("reason", "retention").counter().count()).isEqualTo(1);
        assertThat(this.meters.get("mcp.session.resets").tag("reason", "epoch").counter().count()).isEqualTo(1);
    }

    @Test
    void everyOperationIsObservedWithLowCardinalityTags() {
        this.store.create(NewSession.withId("s"));
        this.store.append("s", NewEvent.of("t", "1"));

        TestObservationRegistryAssert.assertThat(this.observations)
            .hasNumberOfObservationsWithNameEqualTo("mcp.session.store", 2)
            .hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("operation", "append")
                .hasLowCardinalityKeyValue("store", "memory"))
            .hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("operation", "create"));
    }

    @Test
    void meterTagsNeverNameASession() {
        this.store.create(NewSession.withId("secret-session"));
        this.store.append("secret-session", NewEvent.of("t", "1"));

        assertThat(this.meters.getMeters()).allSatisfy((meter) -> assertThat(meter.getId().getTags())
            .noneMatch((tag) -> tag.getValue().contains("secret-session")));
    }

    private double count(String name) {
        return this.meters.get(name).tag("store", "memory").counter().count();
    }

}
