package io.mcpsession.web;

import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.async.DeferredResult;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.Cursor;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.PrincipalScope;
import io.mcpsession.sse.SseFrames;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.SessionStore;

/**
 * Live reads over a store: SSE streams and long-polls. Waiting costs no thread: readers are woken by the store's
 * wake-ups, re-read on a small pool, and a single ticker sends keepalives and keeps streamed sessions alive.
 */
public class SessionStreams implements AutoCloseable {

    private static final Log logger = LogFactory.getLog(SessionStreams.class);

    private final SessionStore store;

    private final Duration retry;

    private final Executor readers;

    private final ScheduledExecutorService ticker;

    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();

    private final Set<LongPoll<?>> polls = ConcurrentHashMap.newKeySet();

    private volatile boolean ending;

    private final AtomicInteger waitingPolls = new AtomicInteger();

    /** Open streams by session, for {@code max-streams-per-session}. */
    private final Map<String, Integer> sessionStreams = new ConcurrentHashMap<>();

    private final int maxStreamsPerSession;

    /** Streams open or opening, for {@code max-streams}: each may hold a reader thread while its client is slow. */
    private final AtomicInteger openStreams = new AtomicInteger();

    private final int maxStreams;

    private final int maxWaitingPolls;

    private final long writeTimeoutNanos;

    private final AtomicLong stalledStreams = new AtomicLong();

    private final EventFrames eventFrames;

    private final SharedReads sharedReads;

    /**
     * Live reads with the default quotas: 32 streams per session, 1000 streams in all, 10000 waiting long-polls,
     * 16 MiB of cached pages and as much of cached frames, a 30 s write timeout and 16 reader threads.
     * @param store the store to read
     * @param keepalive the period of {@code : keepalive} comments
     * @param retry the reconnection time sent first on every stream
     * @param sessionTimeout the session idle timeout; open streams touch their session well within it
     */
    public SessionStreams(SessionStore store, Duration keepalive, Duration retry, Duration sessionTimeout) {
        this(store, keepalive, retry, sessionTimeout, 32, 1000, 10_000, 16L * 1024 * 1024, Duration.ofSeconds(30),
                readerPool(16));
    }

    /**
     * @param store the store to read
     * @param keepalive the period of {@code : keepalive} comments
     * @param retry the reconnection time sent first on every stream
     * @param sessionTimeout the session idle timeout; open streams touch their session well within it
     * @param maxStreamsPerSession the most streams open at once on one session ({@code TOO_MANY_STREAMS} beyond)
     * @param maxStreams the most streams open at once on this instance ({@code TOO_MANY_STREAMS} beyond)
     * @param maxWaitingPolls the most long-polls waiting at once ({@code TOO_MANY_WAITERS} beyond)
     * @param maxCacheBytes the most bytes the shared page cache holds, and the frame cache too
     * @param writeTimeout how long a client may take no bytes before its stream is ended
     * @param readers runs the streams' reads and writes and the long-polls' re-reads; none of them waits for a
     *        client. Shut down on {@link #close()} when it is an {@link ExecutorService}.
     */
    public SessionStreams(SessionStore store, Duration keepalive, Duration retry, Duration sessionTimeout,
            int maxStreamsPerSession, int maxStreams, int maxWaitingPolls, long maxCacheBytes, Duration writeTimeout,
            Executor readers) {
        this.store = store;
        this.retry = retry;
        this.maxStreamsPerSession = maxStreamsPerSession;
        this.maxStreams = maxStreams;
        this.maxWaitingPolls = maxWaitingPolls;
        this.writeTimeoutNanos = writeTimeout.toNanos();
        this.eventFrames = new EventFrames(maxCacheBytes);
        this.sharedReads = new SharedReads(maxCacheBytes);
        this.readers = readers;
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemonThreads("mcp-session-ticker-"));
        this.ticker.scheduleAtFixedRate(this::sendKeepalives, keepalive.toMillis(), keepalive.toMillis(),
                TimeUnit.MILLISECONDS);
        long touchPeriod = Math.max(1, Math.min(keepalive.toMillis(), sessionTimeout.toMillis() / 3));
        this.ticker.scheduleAtFixedRate(this::touchStreamedSessions, touchPeriod, touchPeriod, TimeUnit.MILLISECONDS);
        long stallCheck = Math.max(1, writeTimeout.toMillis() / 4);
        this.ticker.scheduleAtFixedRate(this::endStalledStreams, stallCheck, stallCheck, TimeUnit.MILLISECONDS);
    }

    /**
     * A pool of {@code threads} daemon threads for {@code readers}: enough for the store's reads, as no task waits
     * for a client.
     */
    public static ExecutorService readerPool(int threads) {
        return Executors.newFixedThreadPool(threads, daemonThreads("mcp-session-reader-"));
    }

    /** Answers {@code request} with an SSE stream of a session's log from {@code resumeFrom}. */
    public void streamSession(String sessionId, Cursor resumeFrom, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        refuseWhenEnding();
        reserveStream();
        if (this.sessionStreams.merge(sessionId, 1, Integer::sum) > this.maxStreamsPerSession) {
            streamEnded(sessionId);
            this.openStreams.decrementAndGet();
            throw new McpSessionException(ErrorCode.TOO_MANY_STREAMS, "Session '" + sessionId + "' has its maximum of "
                    + this.maxStreamsPerSession + " open streams: close one first");
        }
        try {
            this.store.touch(sessionId);
        }
        catch (RuntimeException ex) {
            streamEnded(sessionId);
            this.openStreams.decrementAndGet();
            throw ex;
        }
        open(new SessionLogSource(this.store, sessionId, this.eventFrames, this.sharedReads), resumeFrom, request,
                response);
    }

    /** Answers {@code request} with an SSE stream of the feed entries {@code scope} shows, from {@code resumeFrom}. */
    public void streamFeed(Cursor resumeFrom, Set<FeedEntryType> types, @Nullable String sessionId,
            PrincipalScope scope, HttpServletRequest request, HttpServletResponse response) throws IOException {
        refuseWhenEnding();
        reserveStream();
        open(new FeedSource(this.store, types, sessionId, scope), resumeFrom, request, response);
    }

    /** Reads a session's log, waiting up to {@code wait} for an event that matches the query. */
    public DeferredResult<ResponseEntity<byte[]>> pollSession(String sessionId, EventQuery query, Duration maxWait) {
        Duration wait = waitOf(maxWait);
        if (!wait.isZero()) {
            this.store.touch(sessionId);
        }
        LongPoll<EventPage> poll = newPoll(() -> this.store.read(sessionId, query),
                (page) -> !page.events().isEmpty() || page.reset(), wait);
        return poll.start((self) -> this.store.subscribe(sessionId, new SessionListener() {

            @Override
            public void appended(String id, long latest, List<EventRecord> events) {
                if (reaches(query, latest, events)) {
                    self.signal();
                }
            }

            @Override
            public void ephemeral(EphemeralEvent event) {
            }

            @Override
            public void closed(String id, CloseReason reason) {
                self.fail(McpSessionException.sessionNotFound(id));
            }

        }), this.ticker, wait);
    }

    /** Reads the feed, waiting up to {@code wait} for an entry that matches the query. */
    public DeferredResult<ResponseEntity<byte[]>> pollFeed(FeedQuery query, Duration maxWait) {
        Duration wait = waitOf(maxWait);
        LongPoll<FeedPage> poll = newPoll(() -> this.store.readFeed(query),
                (page) -> !page.entries().isEmpty() || page.reset(), wait);
        return poll.start((self) -> this.store.subscribeFeed((latest) -> {
            if (latest > query.after()) {
                self.signal();
            }
        }), this.ticker, wait);
    }

    /**
     * Whether an append can answer a waiting read: it reached past the read's cursor, and (where the wake-up
     * names the events) one of them passes the read's filters. Other waiters are not read again.
     */
    private static boolean reaches(EventQuery query, long latest, List<EventRecord> events) {
        if (latest <= query.after()) {
            return false;
        }
        if (events.isEmpty()) {
            return true;
        }
        for (EventRecord event : events) {
            if (event.seq() > query.after() && query.matches(event)) {
                return true;
            }
        }
        return false;
    }

    /** The number of open SSE streams. */
    public int activeStreams() {
        return this.streams.size();
    }

    /** The number of streams ended so far because their client took no bytes for the write timeout. */
    public long stalledStreams() {
        return this.stalledStreams.get();
    }

    /** The number of long-polls waiting. */
    public int waitingPolls() {
        return this.waitingPolls.get();
    }

    /**
     * Prepares a shutdown: every open stream ends and every waiting long-poll answers with what the store holds,
     * so that clients continue from their cursor on another instance; new streams are refused and new long-polls
     * answer at once.
     */
    public void endAll() {
        this.ending = true;
        for (SseStream stream : this.streams) {
            stream.end();
        }
        for (LongPoll<?> poll : this.polls) {
            poll.answerNow();
        }
    }

    /** Takes new streams and long-polls again after {@link #endAll()}. */
    public void resume() {
        this.ending = false;
    }

    /** Ends every stream (clients resume elsewhere) and stops the threads. */
    @Override
    public void close() {
        endAll();
        this.ticker.shutdownNow();
        if (this.readers instanceof ExecutorService pool) {
            pool.shutdown();
        }
    }

    private void refuseWhenEnding() {
        if (this.ending) {
            throw new McpSessionException(ErrorCode.STORE_UNAVAILABLE,
                    "This instance is shutting down: connect again to resume from the last event id");
        }
    }

    private <P> LongPoll<P> newPoll(Supplier<P> read, Predicate<P> ready, Duration wait) {
        if (this.waitingPolls.incrementAndGet() > this.maxWaitingPolls) {
            this.waitingPolls.decrementAndGet();
            throw new McpSessionException(ErrorCode.TOO_MANY_WAITERS, "This instance has its maximum of "
                    + this.maxWaitingPolls + " waiting long-polls: read without waitMs, or try again later");
        }
        LongPoll<P> poll = new LongPoll<>(read, ready, this.readers, wait, (ended) -> {
            this.waitingPolls.decrementAndGet();
            this.polls.remove(ended);
        });
        this.polls.add(poll);
        return poll;
    }

    /** How long a new long-poll may wait: not at all once this instance is shutting down. */
    private Duration waitOf(Duration wait) {
        return this.ending ? Duration.ZERO : wait;
    }

    private void reserveStream() {
        if (this.openStreams.incrementAndGet() > this.maxStreams) {
            this.openStreams.decrementAndGet();
            throw new McpSessionException(ErrorCode.TOO_MANY_STREAMS, "This instance has its maximum of "
                    + this.maxStreams + " open streams: try again later or on another instance");
        }
    }

    /** Opens a stream reserved with {@link #reserveStream()}: its end gives the reservation back. */
    private void open(StreamSource source, Cursor resumeFrom, HttpServletRequest request,
            HttpServletResponse response) throws IOException {
        SseStream stream = new SseStream(source, resumeFrom, this.readers, (ended) -> {
            this.streams.remove(ended);
            this.openStreams.decrementAndGet();
            if (ended.sessionId() != null) {
                streamEnded(ended.sessionId());
            }
        });
        this.streams.add(stream);
        try {
            stream.open(request, response, SseFrames.retry(this.retry));
        }
        catch (IOException | RuntimeException ex) {
            // Ended once: its count and its place in the open streams go with it.
            stream.end();
            throw ex;
        }
    }

    private void streamEnded(String sessionId) {
        this.sessionStreams.computeIfPresent(sessionId, (id, count) -> (count > 1) ? count - 1 : null);
    }

    private void sendKeepalives() {
        for (SseStream stream : this.streams) {
            stream.keepalive();
        }
    }

    private void endStalledStreams() {
        long now = System.nanoTime();
        for (SseStream stream : this.streams) {
            long since = stream.stalledSince();
            if (since != 0 && now - since > this.writeTimeoutNanos) {
                logger.info("Ending an SSE stream" + ((stream.sessionId() != null) ? " of session " + stream.sessionId() : " of the feed")
                        + ": its client has taken no bytes for " + Duration.ofNanos(now - since).toMillis() + " ms");
                this.stalledStreams.incrementAndGet();
                stream.end();
            }
        }
    }

    private void touchStreamedSessions() {
        Set<String> sessionIds = new HashSet<>();
        for (SseStream stream : this.streams) {
            String sessionId = stream.sessionId();
            if (sessionId != null && sessionIds.add(sessionId)) {
                try {
                    this.store.touch(sessionId);
                }
                catch (RuntimeException ex) {
                    logger.debug("Could not touch streamed session " + sessionId, ex);
                    stream.signal();
                }
            }
        }
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return (runnable) -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

}
