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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Append throughput through the store API ({@code target=api}) and through the raw engine underneath
 * ({@code target=raw}), for any store the {@link StoreTargets} factory knows ({@code store=memory}, later
 * {@code jdbc} and {@code redis}). One hot session or appends spread over many; 1% duplicate ids. The thread
 * count (1, 8, 32 callers) is a run option, see {@link JmhAppendSuite}.
 * <p>
 * In memory each iteration starts from a fresh store holding only the empty sessions; a database or Redis keeps
 * its store for the trial. Within either, the store retains and evicts exactly as configured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AppendBenchmark {

    @Param({ "memory" })
    public String store;

    @Param({ StoreTargets.API, StoreTargets.RAW })
    public String target;

    @Param({ "1", "1000" })
    public int sessions;

    private AppendTarget appendTarget;

    private String[] sessionIds;

    @Setup(Level.Iteration)
    public void createStore() {
        if (this.appendTarget != null) {
            return;
        }
        this.appendTarget = StoreTargets.create(this.store, this.target);
        this.sessionIds = new String[this.sessions];
        for (int i = 0; i < this.sessions; i++) {
            this.sessionIds[i] = AppendWorkload.sessionId(i);
            this.appendTarget.createSession(this.sessionIds[i]);
        }
    }

    /**
     * In memory, each iteration starts from a fresh store, so that retained events do not pile up in the heap.
     * A database or Redis keeps its store for the whole trial: its sessions are created once, because on 2 cores
     * a thousand creations per iteration, with JMH's other threads spinning at the iteration barrier, took
     * minutes.
     */
    @TearDown(Level.Iteration)
    public void closeStoreInMemory() {
        if (this.store.startsWith("memory")) {
            closeStore();
        }
    }

    @TearDown(Level.Trial)
    public void closeStore() {
        if (this.appendTarget != null) {
            this.appendTarget.close();
            this.appendTarget = null;
        }
    }

    /** One caller: its own deterministic stream of sessions and ids. */
    @State(Scope.Thread)
    public static class Caller {

        AppendWorkload workload;

        @Setup(Level.Trial)
        public void setUp(AppendBenchmark benchmark, ThreadParams threads) {
            this.workload = new AppendWorkload(threads.getThreadIndex(), benchmark.sessions);
        }

    }

    @Benchmark
    public long append(Caller caller) {
        AppendWorkload workload = caller.workload;
        workload.next();
        return this.appendTarget.append(this.sessionIds[workload.session()], workload.eventId(), AppendWorkload.TYPE,
                AppendWorkload.DATA);
    }

}
