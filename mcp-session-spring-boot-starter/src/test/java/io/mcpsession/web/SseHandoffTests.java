package io.mcpsession.web;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The replay-to-live handoff (SPEC §6 "Replay, then live, with no gap and no duplicate") on the in-memory store:
 * streams opened while several threads append receive every seq after their resume point exactly once, in order.
 * The other stores run the same scenario in their {@link SseHandoffTestSupport} subclasses.
 */
class SseHandoffTests extends SharedContextTestSupport {

    @Test
    void streamsOpenedMidFlightSeeEverySeqOnceInOrder() throws Exception {
        try (SseHandoffScenario scenario = new SseHandoffScenario(List.of(this.http))) {
            scenario.run();
        }
    }

}
