package io.mcpsession.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lease that keeps the sweeper (and the feed's sequencer) on one instance at a time.
 */
class LeaseTests {

    private final String prefix = RedisTestServer.newKeyPrefix();

    private final String key = this.prefix + "lease";

    private final StoreConnection connection = new StoreConnection(RedisTestServer.connectionFactory());

    private final ExecutorService executor = Executors.newCachedThreadPool();

    @AfterEach
    void cleanUp() {
        this.executor.shutdownNow();
        RedisTestServer.deleteKeys(this.prefix);
    }

    private Lease lease(String token) {
        return new Lease(this.connection, this.key, token, Duration.ofMinutes(1));
    }

    @Test
    void theHolderRenewsItAndNobodyElseTakesItUntilReleased() {
        Lease first = lease("first");
        Lease second = lease("second");

        assertThat(first.hold()).isTrue();
        assertThat(second.hold()).isFalse();
        assertThat(first.hold()).isTrue();
        second.release();
        assertThat(second.hold()).isFalse();
        first.release();
        assertThat(second.hold()).isTrue();
        assertThat(first.hold()).isFalse();
    }

    @RepeatedTest(5)
    void ofManyRacingForItOneHoldsIt() throws Exception {
        int contenders = 16;
        CyclicBarrier together = new CyclicBarrier(contenders);
        List<Future<Boolean>> holds = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            Lease lease = lease("contender-" + i);
            holds.add(this.executor.submit(() -> {
                together.await();
                return lease.hold();
            }));
        }
        int holders = 0;
        for (Future<Boolean> hold : holds) {
            holders += hold.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertThat(holders).isOne();
    }

}
