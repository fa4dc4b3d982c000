package io.mcpsession.benchmarks.store;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Replay of a whole session from the start, the read behind a resumed stream: through the store API in pages of
 * {@code Limits.MAX_READ_LIMIT} ({@code target=api}) against the raw range read of the same events
 * ({@code target=raw}, for Redis {@code XRANGE} pages of the same size). One score is one replay of
 * {@link #events} events, so events per second are the score times {@link #events}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReplayReadBenchmark {

    static final String SESSION = AppendWorkload.sessionId(0);

    @Param({ "redis" })
    public String store;

    @Param({ StoreTargets.API, StoreTargets.RAW })
    public String target;

    /** Events in the replayed session: the store's default retention, so that all of them are read. */
    @Param({ "10000" })
    public int events;

    private AppendTarget replayTarget;

    @Setup(Level.Trial)
    public void fillSession() {
        this.replayTarget = StoreTargets.create(this.store, this.target);
        this.replayTarget.createSession(SESSION);
        for (int i = 0; i < this.events; i++) {
            this.replayTarget.append(SESSION, "e" + i, AppendWorkload.TYPE, AppendWorkload.DATA);
        }
        long read = this.replayTarget.readAll(SESSION);
        if (read != this.events) {
            throw new IllegalStateException("Replay read " + read + " of " + this.events + " events");
        }
    }

    @TearDown(Level.Trial)
    public void closeStore() {
        this.replayTarget.close();
    }

    @Benchmark
    public long replay() {
        return this.replayTarget.readAll(SESSION);
    }

}
