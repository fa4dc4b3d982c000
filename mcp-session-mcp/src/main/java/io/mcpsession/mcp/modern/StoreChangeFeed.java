package io.mcpsession.mcp.modern;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.modern.McpSchema.SubscriptionFilter;
import io.modelcontextprotocol.modern.server.feature.McpChangeBroadcaster;
import io.modelcontextprotocol.modern.server.feature.McpChangePublisher;
import io.modelcontextprotocol.modern.server.feature.ServerChange;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.Cursor;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.Subscription;

/**
 * The change feed of a 2026-07-28 MCP server ({@code subscriptions/listen}) on a {@link SessionStore}: a change
 * broadcast on any instance is appended to the log of one store session, and every instance follows that log, so
 * each listener hears every change made after it started listening once, in the log's order, whichever instance
 * made it. Give it to the server as {@code McpServer.builder().subscriptions(feed)} and broadcast through it.
 * <p>
 * The 2026-07-28 revision gives a listener no way to say where it was: a client that listens again re-reads the
 * lists it cares about.
 */
public final class StoreChangeFeed implements McpChangePublisher, McpChangeBroadcaster, AutoCloseable {

    /** The store session whose log carries the changes, unless the builder names another. */
    public static final String DEFAULT_SESSION_ID = "mcp-server-changes";

    /**
     * The owner of the log's session: no caller of the HTTP API is this principal, so none lists it or writes to it
     * (anonymous callers see only anonymous sessions).
     */
    public static final String OWNER = "mcp-session/server";

    /** The event type of a change in that log. */
    static final String TYPE = "mcp.change";

    private static final Logger logger = LoggerFactory.getLogger(StoreChangeFeed.class);

    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {
    };

    private static final int PAGE = 100;

    private final SessionStore store;

    private final String sessionId;

    private final McpJsonMapper json;

    private final Sinks.Many<ServerChange> sink = Sinks.many().multicast().directBestEffort();

    /** One thread reads the log and emits, so listeners hear changes in the log's order. */
    private final ScheduledExecutorService reader;

    private final AtomicBoolean readPending = new AtomicBoolean();

    private final AtomicBoolean following = new AtomicBoolean();

    private final long touchMillis;

    private @Nullable Subscription subscription;

    /** The last change read; only the reader thread moves it. */
    private @Nullable Cursor cursor;

    private volatile boolean closed;

    private StoreChangeFeed(Builder builder) {
        this.store = builder.store;
        this.sessionId = builder.sessionId;
        this.json = (builder.jsonMapper != null) ? builder.jsonMapper : McpJsonDefaults.getMapper();
        this.reader = Executors.newSingleThreadScheduledExecutor((runnable) -> {
            Thread thread = new Thread(runnable, "mcp-session-changes");
            thread.setDaemon(true);
            return thread;
        });
        this.touchMillis = builder.touchInterval.toMillis();
    }

    public static Builder builder(SessionStore store) {
        return new Builder(store);
    }

    /** Appends the change to the shared log; every instance's listeners hear it from there. */
    @Override
    public void broadcast(ServerChange change) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("method", change.method());
        if (change.params() != null) {
            entry.put("params", change.params());
        }
        String data;
        try {
            data = this.json.writeValueAsString(entry);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        NewEvent event = new NewEvent(null, TYPE, data, null, null, false);
        try {
            this.store.append(this.sessionId, event);
        }
        catch (McpSessionException ex) {
            if (ex.code() != ErrorCode.SESSION_NOT_FOUND) {
                throw ex;
            }
            ensureSession();
            this.store.append(this.sessionId, event);
        }
    }

    /**
     * The changes made from now on, on every instance. This instance starts following the shared log when this is
     * first called (an application that never listens never creates it), and returns once it follows, so that a
     * listener hears every change made after it subscribed.
     */
    @Override
    public Flux<ServerChange> changes() {
        if (this.following.compareAndSet(false, true)) {
            Future<?> started = this.reader.submit(this::follow);
            this.reader.scheduleWithFixedDelay(this::keepAlive, this.touchMillis, this.touchMillis,
                    TimeUnit.MILLISECONDS);
            try {
                started.get(10, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            catch (ExecutionException | TimeoutException ex) {
                logger.warn("The MCP change log {} is not followed yet; listeners may miss the first changes",
                        this.sessionId, ex);
            }
        }
        return this.sink.asFlux().onBackpressureBuffer(10_000);
    }

    @Override
    public void close() {
        this.closed = true;
        this.reader.shutdownNow();
        Subscription current = this.subscription;
        if (current != null) {
            current.close();
        }
        this.sink.tryEmitComplete();
    }

    /** Starts following the log from where it stands: listeners hear the changes made from now on. */
    private void follow() {
        if (this.closed) {
            return;
        }
        try {
            ensureSession();
            // Subscribe before reading where the log stands, so that no change falls between the two.
            this.subscription = this.store.subscribe(this.sessionId, new Wakeups());
            LogPosition position = this.store.position(this.sessionId);
            this.cursor = Cursor.of(position.epoch(), position.latest());
            readSoon();
        }
        catch (RuntimeException ex) {
            logger.warn("Cannot follow the MCP change log {}; trying again in a second", this.sessionId, ex);
            this.reader.schedule(this::follow, 1, TimeUnit.SECONDS);
        }
    }

    private void readSoon() {
        if (!this.closed && this.readPending.compareAndSet(false, true)) {
            this.reader.execute(this::readNew);
        }
    }

    private void readNew() {
        this.readPending.set(false);
        Cursor from = this.cursor;
        if (from == null || this.closed) {
            return;
        }
        try {
            EventPage page;
            do {
                page = this.store.read(this.sessionId, EventQuery.after(from).withLimit(PAGE));
                if (page.reset()) {
                    logger.warn("The MCP change log {} moved past this instance's place ({}): changes were missed",
                            this.sessionId, page.resetReason());
                }
                for (EventRecord event : page.events()) {
                    emit(event);
                }
                from = Cursor.of(page.epoch(), page.nextCursor());
                this.cursor = from;
            }
            while (!page.events().isEmpty() && page.nextCursor() < page.latest());
        }
        catch (McpSessionException ex) {
            if (ex.code() == ErrorCode.SESSION_NOT_FOUND) {
                restart();
            }
            else {
                logger.warn("Cannot read the MCP change log {}; trying again in a second", this.sessionId, ex);
                this.reader.schedule(this::readNew, 1, TimeUnit.SECONDS);
            }
        }
    }

    private void emit(EventRecord event) {
        if (!TYPE.equals(event.type())) {
            return;
        }
        Map<String, Object> entry;
        try {
            entry = this.json.readValue(event.data(), MAP);
        }
        catch (IOException ex) {
            logger.warn("Skipped an unreadable change at {} of {}", event.seq(), this.sessionId, ex);
            return;
        }
        ServerChange change = toChange(String.valueOf(entry.get("method")), entry.get("params"));
        Sinks.EmitResult result = this.sink.tryEmitNext(change);
        if (result.isFailure() && result != Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
            logger.warn("A change could not reach this instance's listeners: {}", result);
        }
    }

    /** The log's session ended (it was deleted or swept): a new one starts, and listeners follow it. */
    private void restart() {
        Subscription current = this.subscription;
        if (current != null) {
            current.close();
        }
        this.subscription = null;
        this.cursor = null;
        follow();
    }

    private void keepAlive() {
        try {
            this.store.touch(this.sessionId);
        }
        catch (McpSessionException ex) {
            if (ex.code() == ErrorCode.SESSION_NOT_FOUND) {
                restart();
            }
            else {
                logger.debug("Cannot touch the MCP change log {}", this.sessionId, ex);
            }
        }
    }

    private void ensureSession() {
        if (this.store.find(this.sessionId).isPresent()) {
            return;
        }
        try {
            this.store.create(new NewSession(this.sessionId, null, null, null, null, OWNER));
        }
        catch (McpSessionException ex) {
            if (ex.code() != ErrorCode.SESSION_EXISTS) {
                throw ex;
            }
        }
    }

    static ServerChange toChange(String method, @Nullable Object params) {
        return switch (method) {
            case "notifications/tools/list_changed" -> new ServerChange.ToolsListChanged();
            case "notifications/prompts/list_changed" -> new ServerChange.PromptsListChanged();
            case "notifications/resources/list_changed" -> new ServerChange.ResourcesListChanged();
            case "notifications/resources/updated" -> new ServerChange.ResourceUpdated(
                    String.valueOf(((Map<?, ?>) Objects.requireNonNull(params)).get("uri")));
            default -> new OtherChange(method, params);
        };
    }

    /** A change of a kind this feed does not know: it reaches the listeners whose filter names its method. */
    record OtherChange(String method, @Nullable Object params) implements ServerChange {

        @Override
        public boolean isHonouredBy(SubscriptionFilter filter) {
            return filter.get(this.method) != null;
        }

    }

    private final class Wakeups implements SessionListener {

        @Override
        public void appended(String sessionId, long latest, List<EventRecord> events) {
            readSoon();
        }

        @Override
        public void ephemeral(EphemeralEvent event) {
        }

        @Override
        public void closed(String sessionId, CloseReason reason) {
            if (!StoreChangeFeed.this.closed) {
                StoreChangeFeed.this.reader.execute(StoreChangeFeed.this::restart);
            }
        }

    }

    /** Builds a {@link StoreChangeFeed}. */
    public static final class Builder {

        private final SessionStore store;

        private String sessionId = DEFAULT_SESSION_ID;

        private @Nullable McpJsonMapper jsonMapper;

        private Duration touchInterval = Duration.ofMinutes(1);

        private Builder(SessionStore store) {
            this.store = Objects.requireNonNull(store, "store");
        }

        /** The store session whose log carries the changes; every instance of one server must name the same. */
        public Builder sessionId(String sessionId) {
            this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
            return this;
        }

        public Builder jsonMapper(McpJsonMapper jsonMapper) {
            this.jsonMapper = jsonMapper;
            return this;
        }

        /** How often the log's session is touched so that it never expires (a third of the session timeout). */
        public Builder touchInterval(Duration touchInterval) {
            if (touchInterval.isNegative() || touchInterval.isZero()) {
                throw new IllegalArgumentException("touchInterval must be positive");
            }
            this.touchInterval = touchInterval;
            return this;
        }

        public StoreChangeFeed build() {
            return new StoreChangeFeed(this);
        }

    }

}
