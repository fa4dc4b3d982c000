package io.mcpsession.tck;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * What every group of the contract shares: the store factory, a clock that only moves when told, the stores a
 * test created (closed after it), and small helpers.
 */
public abstract class ContractSupport {

    /**
     * How long asynchronous effects (listener calls, feed entries) may take to show. Waits end as soon as the
     * effect shows, so this only bounds a failing test: generous, as a loaded 2-core machine may stall a store's
     * notification or numbering thread for seconds.
     */
    protected static final Duration WAIT = Duration.ofSeconds(20);

    /** How long a concurrent task may run before the test calls it a deadlock. */
    protected static final Duration TASK_TIMEOUT = Duration.ofSeconds(60);

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** The clock of every store this test creates. */
    protected final MutableClock clock = MutableClock.startingNow();

    private final StoreFactory factory;

    private final List<SessionStore> stores = new CopyOnWriteArrayList<>();

    protected ContractSupport(StoreFactory factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** A new store with the contract's default settings. */
    protected SessionStore newStore() {
        return newStore(StoreSettings.defaults());
    }

    /** A new store with {@code settings}; it is closed after the test. */
    protected SessionStore newStore(StoreSettings settings) {
        SessionStore store = this.factory.createStore(settings, this.clock);
        this.stores.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        RuntimeException failure = null;
        for (SessionStore store : this.stores) {
            try {
                store.close();
            }
            catch (RuntimeException ex) {
                failure = (failure != null) ? failure : ex;
            }
        }
        this.stores.clear();
        if (failure != null) {
            throw failure;
        }
    }

    // JSON

    /** JSON text written with single quotes for readability: {@code json("{'a':1}")} is {@code {"a":1}}. */
    protected static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** Asserts that two JSON texts hold the same value, whatever their key order or spacing. */
    protected static void assertSameJson(String actual, String expected) {
        JsonNode actualNode = MAPPER.readTree(actual);
        JsonNode expectedNode = MAPPER.readTree(expected);
        assertThat(actualNode).as("JSON %s", actual).isEqualTo(expectedNode);
    }

    // Sessions and events

    /** A new anonymous session with a generated id. */
    protected static Session newSession(SessionStore store) {
        return store.create(NewSession.anonymous());
    }

    /** A new anonymous session with {@code id}. */
    protected static Session newSession(SessionStore store, String id) {
        return store.create(NewSession.withId(id));
    }

    /** Appends a new {@code message} event with {@code data} and returns it. */
    protected static EventRecord append(SessionStore store, String sessionId, String data) {
        return append(store, sessionId, NewEvent.of("message", data));
    }

    /** Appends {@code event}, which must be new, and returns it. */
    protected static EventRecord append(SessionStore store, String sessionId, NewEvent event) {
        var result = store.append(sessionId, event);
        assertThat(result.duplicate()).as("append of a new event reports a duplicate").isFalse();
        return result.event();
    }

    /** Appends {@code count} events with data {@code {"n":1}}, {@code {"n":2}}, … one by one. */
    protected static List<EventRecord> appendMany(SessionStore store, String sessionId, int count) {
        List<EventRecord> events = new ArrayList<>(count);
        for (int i = 1; i <= count; i++) {
            events.add(append(store, sessionId, "{\"n\":" + i + "}"));
        }
        return events;
    }

    /** Reads up to 1000 retained events from the start of the current epoch. */
    protected static EventPage readAll(SessionStore store, String sessionId) {
        return store.read(sessionId, EventQuery.after(0).withLimit(1000));
    }

    /** The seqs of {@code events}, in order. */
    protected static List<Long> seqs(List<EventRecord> events) {
        return events.stream().map(EventRecord::seq).collect(Collectors.toList());
    }

    /** The list {@code from, from + 1, …, to}. */
    protected static List<Long> range(long from, long to) {
        List<Long> range = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            range.add(seq);
        }
        return range;
    }

    // Feed

    /** Every retained feed entry that {@code query}'s filters pass, paging with {@code nextCursor}. */
    protected static List<FeedEntry> readFeed(SessionStore store, Set<FeedEntryType> types, String sessionId) {
        List<FeedEntry> entries = new ArrayList<>();
        long after = 0;
        while (true) {
            FeedPage page = store.readFeed(new FeedQuery(after, null, types, sessionId, 1000));
            entries.addAll(page.entries());
            if (page.nextCursor() <= after || page.nextCursor() >= page.latest()) {
                return entries;
            }
            after = page.nextCursor();
        }
    }

    /** Every retained feed entry of one session, oldest first. */
    protected static List<FeedEntry> feedOf(SessionStore store, String sessionId) {
        return readFeed(store, Set.of(), sessionId);
    }

    /** The types of {@code entries}, in order. */
    protected static List<FeedEntryType> types(List<FeedEntry> entries) {
        return entries.stream().map(FeedEntry::type).collect(Collectors.toList());
    }

    // Failures, waiting and threads

    /** Asserts that {@code call} fails with an {@link McpSessionException} of {@code code}. */
    protected static McpSessionException assertCode(ErrorCode code, ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("expected a failure with code %s", code).isInstanceOf(McpSessionException.class);
        McpSessionException failure = (McpSessionException) thrown;
        assertThat(failure.code()).as("code of: %s", failure.getMessage()).isEqualTo(code);
        return failure;
    }

    /** Awaits an asynchronous effect for at most {@link #WAIT}. */
    protected static ConditionFactory eventually() {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(10));
    }

    /**
     * Runs {@code task} on {@code threads} real threads that all start at once, and returns each thread's result
     * (by thread index). A task that does not finish within {@link #TASK_TIMEOUT} fails the test.
     */
    protected static <T> List<T> runConcurrently(int threads, IntFunction<T> task) {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(executor.submit(() -> {
                    ready.countDown();
                    if (!start.await(TASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                        throw new IllegalStateException("The start gate never opened");
                    }
                    return task.apply(index);
                }));
            }
            assertThat(awaitLatch(ready)).as("all threads ready").isTrue();
            start.countDown();
            List<T> results = new ArrayList<>(threads);
            for (Future<T> future : futures) {
                results.add(future.get(TASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            }
            return results;
        }
        catch (TimeoutException ex) {
            return fail("A concurrent task did not finish within " + TASK_TIMEOUT + " (deadlock?)", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return fail("Interrupted", ex);
        }
        catch (java.util.concurrent.ExecutionException ex) {
            return fail("A concurrent task failed: " + ex.getCause(), ex.getCause());
        }
        finally {
            executor.shutdownNow();
        }
    }

    private static boolean awaitLatch(CountDownLatch latch) throws InterruptedException {
        return latch.await(TASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

}
