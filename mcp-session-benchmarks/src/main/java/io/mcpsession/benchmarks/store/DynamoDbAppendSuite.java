package io.mcpsession.benchmarks.store;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.RunnerException;

import io.mcpsession.benchmarks.SuiteOptions;
import io.mcpsession.benchmarks.report.Measurement;
import io.mcpsession.benchmarks.report.ResultRow;
import io.mcpsession.benchmarks.report.ResultRow.Verdict;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.NewEvent;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.Subscription;

/**
 * The DynamoDB rows: {@code DynamoDbSessionStore} against one conditional {@code PutItem} of the same log item
 * ({@link RawDynamoDbEngine}), in the same JMH run, 1 hot session and 1,000 sessions, at the server caller counts;
 * then what one append costs: DynamoDB requests and write units per append, counted on the client
 * ({@link DynamoDbRequests}) over a fixed number of appends by one caller, including the feed's numbering of
 * them in the background (awaited before counting stops).
 */
public final class DynamoDbAppendSuite {

    /** The store against the raw put: at least this ratio. */
    static final double TARGET = 0.5;

    static final String BASELINE = "conditional PutItem of the same item";

    private static final long FEED_WAIT_SECONDS = 60;

    private final SuiteOptions options;

    private final JmhAppendSuite jmh;

    public DynamoDbAppendSuite(SuiteOptions options) {
        this.options = options;
        // Found (or started: a dynalite lives as long as this JVM) once, here, and handed to the forks, so that
        // the store and its baseline talk to one server.
        this.jmh = new JmhAppendSuite(options, "-D" + DynamoDbTargets.URL_VARIABLE + "=" + DynamoDbTargets.url());
    }

    public List<ResultRow> run() throws RunnerException, IOException, InterruptedException {
        Files.createDirectories(this.options.out());
        List<ResultRow> rows = new ArrayList<>();
        String[] both = { "1", "1000" };
        for (int threads : this.options.jmhServerThreads()) {
            List<RunResult> results = this.jmh.runJmh(threads, "dynamodb",
                    new String[] { StoreTargets.API, StoreTargets.RAW }, both, Mode.Throughput,
                    Math.min(this.options.jmhForks(), 1));
            for (String sessions : both) {
                Measurement api = JmhAppendSuite.score(results, StoreTargets.API, sessions);
                Measurement raw = JmhAppendSuite.score(results, StoreTargets.RAW, sessions);
                rows.add(ResultRow.compared(JdbcAppendSuite.BENCHMARK,
                        "dynamodb, " + JmhAppendSuite.shape(sessions, threads), api, BASELINE, raw, "≥ 0.5× raw",
                        Verdict.of(api.over(raw).value() >= TARGET)));
            }
        }
        int appends = this.options.dynamoDbCountedAppends();
        for (int sessions : new int[] { 1, 1000 }) {
            Cost store = cost(true, sessions, appends);
            Cost raw = cost(false, sessions, appends);
            String variant = String.format(Locale.ROOT, "dynamodb, %s, 1 thread, %,d appends; store: %s",
                    JmhAppendSuite.shape(Integer.toString(sessions), 1).replace(", 1 thread", ""), appends,
                    store.operations());
            rows.add(ResultRow.compared("DynamoDB requests per append", variant,
                    Measurement.of(store.requests(), 0, "requests"), BASELINE, Measurement.of(raw.requests(), 0,
                            "requests"), "", Verdict.INFO));
            String units = store.unreported() + raw.unreported() == 0 ? "WCU"
                    : "WCU (" + (store.unreported() + raw.unreported()) + " writes unreported by the server)";
            rows.add(ResultRow.compared("DynamoDB write units per append", variant,
                    Measurement.of(store.writeUnits(), 0, units), BASELINE,
                    Measurement.of(raw.writeUnits(), 0, units), "", Verdict.INFO));
        }
        return rows;
    }

    /** What one append cost on average over {@code appends} by one caller, spread over {@code sessions}. */
    record Cost(double requests, double writeUnits, double readUnits, long unreported, String operations) {
    }

    static Cost cost(boolean api, int sessions, int appends) throws InterruptedException {
        DynamoDbTargets.Counted counted = DynamoDbTargets.counted(api);
        try (AppendTarget target = counted.target()) {
            String[] ids = new String[sessions];
            for (int i = 0; i < sessions; i++) {
                ids[i] = AppendWorkload.sessionId(i);
                target.createSession(ids[i]);
            }
            SessionStore store = api ? ((StoreApiTarget) target).store() : null;
            if (store != null) {
                // The creations' feed entries are numbered before counting starts.
                awaitFeed(store, sessions);
            }
            counted.requests().reset();
            AppendWorkload workload = new AppendWorkload(0, sessions);
            long fresh = 0;
            for (int i = 0; i < appends; i++) {
                workload.next();
                String session = ids[workload.session()];
                if (store != null) {
                    fresh += store.append(session, NewEvent.of(workload.eventId(), AppendWorkload.TYPE,
                            AppendWorkload.DATA)).duplicate() ? 0 : 1;
                }
                else {
                    target.append(session, workload.eventId(), AppendWorkload.TYPE, AppendWorkload.DATA);
                }
            }
            if (store != null) {
                // The feed numbers the appends in the background: its requests are part of their cost.
                awaitFeed(store, sessions + fresh);
            }
            DynamoDbRequests requests = counted.requests();
            StringBuilder operations = new StringBuilder();
            for (Map.Entry<String, Long> entry : requests.byOperation().entrySet()) {
                operations.append((operations.length() > 0) ? ", " : "").append(String.format(Locale.ROOT,
                        "%s %.2f", entry.getKey(), entry.getValue() / (double) appends));
            }
            return new Cost(requests.total() / (double) appends, requests.writeUnits() / appends,
                    requests.readUnits() / appends, requests.unreportedWrites(), operations.toString());
        }
    }

    /** Waits until the store's feed has published {@code latest} entries, woken by its feed listener. */
    private static void awaitFeed(SessionStore store, long latest) throws InterruptedException {
        AtomicLong seen = new AtomicLong();
        Semaphore moved = new Semaphore(0);
        try (Subscription subscription = store.subscribeFeed((at) -> {
            seen.accumulateAndGet(at, Math::max);
            moved.release();
        })) {
            seen.accumulateAndGet(store.readFeed(FeedQuery.after(0).withLimit(1)).latest(), Math::max);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FEED_WAIT_SECONDS);
            while (seen.get() < latest) {
                if (!moved.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException("The feed reached " + seen.get() + " of " + latest + " in "
                            + FEED_WAIT_SECONDS + " s");
                }
            }
        }
    }

}
