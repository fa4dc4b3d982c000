package io.mcpsession.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.server.McpTransportContextExtractor;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HeaderAccessor;
import io.modelcontextprotocol.server.transport.ServerHttpHeaderValidator;
import io.modelcontextprotocol.server.transport.ServerTransportSecurityException;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.ProtocolVersions;

import io.mcpsession.core.Cursor;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionPage;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.sse.SseFrames;
import io.mcpsession.store.SessionStore;

/**
 * An MCP Streamable HTTP server transport (protocol revisions 2025-03-26 to 2025-11-25) whose sessions and streams
 * live in a {@link SessionStore}: any instance that shares the store serves any session, an instance that never saw
 * a session restores it from the store, and every message the server sends is appended to the session's log before
 * it is written, so a client resumes a dropped stream with {@code Last-Event-ID} on any instance.
 * <p>
 * It is a servlet: map it to the MCP endpoint. Give it to the SDK as any streamable transport, for example
 * {@code McpServer.sync(provider)}.
 */
public final class DurableMcpTransportProvider extends HttpServlet implements McpStreamableServerTransportProvider {

    private static final long serialVersionUID = 1L;

    private static final Logger logger = LoggerFactory.getLogger(DurableMcpTransportProvider.class);

    /** The header that carries the session id. */
    public static final String SESSION_HEADER = "Mcp-Session-Id";

    static final String PROTOCOL_HEADER = "MCP-Protocol-Version";

    /** Origins that may always call the endpoint: localhost on any port. */
    public static final List<String> LOCAL_ORIGINS = List.of("http://localhost:*", "http://127.0.0.1:*",
            "http://[::1]:*", "https://localhost:*", "https://127.0.0.1:*", "https://[::1]:*");

    private static final String LAST_EVENT_ID = "Last-Event-ID";

    private static final List<String> VERSIONS = List.of(ProtocolVersions.MCP_2025_03_26,
            ProtocolVersions.MCP_2025_06_18, ProtocolVersions.MCP_2025_11_25);

    /** Versions whose clients expect a priming event (SEP-1699): an id and empty data before anything else. */
    private static final String FIRST_PRIMED_VERSION = ProtocolVersions.MCP_2025_11_25;


    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {
    };

    /** The transport context's key of what ends the client's connection to a request's stream. */
    private static final String CLOSE_CONNECTION = DurableMcpTransportProvider.class.getName() + ".closeConnection";

    private final transient SessionStore store;

    private final transient McpLog log;

    private final transient McpJsonMapper json;

    private final transient Tags tags;

    private final transient McpMessages messages;

    private final transient OwnerLeases leases;

    private final transient ClientResponses clientResponses;

    private final transient SessionObjects objects = new SessionObjects();

    private final transient ServerHttpHeaderValidator headerValidator;

    private final transient McpTransportContextExtractor<HttpServletRequest> contextExtractor;

    private final Duration retry;

    private final int maxRequestBytes;

    private final long writeTimeoutNanos;

    private final transient ExecutorService readers;

    private final transient ScheduledExecutorService ticker;

    private final transient Set<StreamFollower> followers = ConcurrentHashMap.newKeySet();

    private final transient Set<SseConnection> responding = ConcurrentHashMap.newKeySet();

    /** Every SSE connection not yet ended, also those finishing what waits for a slow client. */
    private final transient Set<SseConnection> connections = ConcurrentHashMap.newKeySet();

    private final AtomicInteger running = new AtomicInteger();

    private final transient Object runningMonitor = new Object();

    private volatile boolean draining;

    private DurableMcpTransportProvider(Builder builder) {
        this.store = builder.store;
        this.log = new McpLog(builder.store);
        this.json = (builder.jsonMapper != null) ? builder.jsonMapper : McpJsonDefaults.getMapper();
        this.tags = new Tags();
        this.readers = Executors.newCachedThreadPool(daemonThreads("mcp-session-mcp-reader-"));
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemonThreads("mcp-session-mcp-ticker-"));
        this.leases = new OwnerLeases(builder.store, builder.clock, builder.ownerLease, this.tags.instanceId());
        this.clientResponses = new ClientResponses(this.log, this.tags.instanceId(), builder.clock,
                Duration.ofMinutes(2), this.readers, this.json);
        this.clientResponses.deliverTo(this::acceptClientResponse);
        this.messages = new McpMessages(this.json, this.tags.instanceId(), this.clientResponses);
        this.headerValidator = (builder.headerValidator != null) ? builder.headerValidator
                : DefaultServerTransportSecurityValidator.builder()
                    .allowedOrigins(builder.allowedOrigins)
                    .allowedHosts(builder.allowedHosts)
                    .build();
        this.contextExtractor = builder.contextExtractor;
        this.retry = builder.retry;
        this.maxRequestBytes = builder.maxRequestBytes;
        long keepalive = builder.keepalive.toMillis();
        this.ticker.scheduleAtFixedRate(this::sendKeepalives, keepalive, keepalive, TimeUnit.MILLISECONDS);
        this.writeTimeoutNanos = builder.writeTimeout.toNanos();
        long stallCheck = Math.max(1, builder.writeTimeout.toMillis() / 4);
        this.ticker.scheduleAtFixedRate(this::endStalledConnections, stallCheck, stallCheck, TimeUnit.MILLISECONDS);
        long leaseTick = Math.max(1, builder.ownerLease.toMillis() / 3);
        this.ticker.scheduleAtFixedRate(this::tendLeases, leaseTick, leaseTick, TimeUnit.MILLISECONDS);
        long touch = builder.touchInterval.toMillis();
        this.ticker.scheduleAtFixedRate(this::touchListenedSessions, touch, touch, TimeUnit.MILLISECONDS);
        this.ticker.scheduleAtFixedRate(this::housekeeping, 1, 1, TimeUnit.MINUTES);
    }

    /** A builder of the transport over {@code store}. */
    public static Builder builder(SessionStore store) {
        return new Builder(store);
    }

    // The SDK's side

    @Override
    public void setSessionFactory(McpStreamableServerSession.Factory sessionFactory) {
        this.objects.setFactory(sessionFactory);
    }

    @Override
    public List<String> protocolVersions() {
        return VERSIONS;
    }

    /** Appends the notification to the GET stream of every MCP session in the store, whichever instance holds it. */
    @Override
    public Mono<Void> notifyClients(String method, @Nullable Object params) {
        return Mono.<Void>fromRunnable(() -> {
            String notification = this.messages.write(new McpSchema.JSONRPCNotification(method, params));
            String after = null;
            do {
                SessionPage page = this.store.list(after, 1000);
                for (Session session : page.sessions()) {
                    if (isMcpSession(session)) {
                        appendQuietly(session.id(), notification);
                    }
                }
                after = page.nextCursor();
            }
            while (after != null);
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** Appends the notification to the session's GET stream, whichever instance holds it. */
    @Override
    public Mono<Void> notifyClient(String sessionId, String method, @Nullable Object params) {
        return Mono.fromRunnable(() -> appendQuietly(sessionId,
                this.messages.write(new McpSchema.JSONRPCNotification(method, params))));
    }

    @Override
    public Mono<Void> closeGracefully() {
        return Mono.fromRunnable(this::close);
    }

    /**
     * Prepares a graceful shutdown: stops taking new requests and streams, ends every open stream (clients resume
     * on another instance, from the log), then waits up to {@code timeout} for the requests running here to finish
     * (they keep appending to the log, where the resumed streams read them).
     * @return whether every request finished in time
     */
    public boolean drain(Duration timeout) {
        this.draining = true;
        endStreams();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this.runningMonitor) {
            long left;
            while (this.running.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this.runningMonitor, left);
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return this.running.get() == 0;
    }

    /** Takes new requests and streams again after {@link #drain(Duration)} (an application started again). */
    public void resume() {
        this.draining = false;
    }

    /**
     * Ends the client's connection to the stream of the request that {@code context} belongs to, while the request
     * runs on (SEP-1699 polling): the client resumes the stream with its last event id, on any instance. A tool
     * calls it with {@code exchange.transportContext()}; outside a request of this transport it does nothing.
     */
    public static void closeConnection(McpTransportContext context) {
        if (context.get(CLOSE_CONNECTION) instanceof Runnable close) {
            close.run();
        }
    }

    /** Requests running on this instance. */
    public int runningRequests() {
        return this.running.get();
    }

    /** Open SSE streams on this instance. */
    public int openStreams() {
        return this.followers.size() + this.responding.size();
    }

    @Override
    public void destroy() {
        close();
        super.destroy();
    }

    /** Ends every stream and stops the transport's threads. */
    @Override
    public void close() {
        this.draining = true;
        endStreams();
        abortConnections();
        this.ticker.shutdownNow();
        this.clientResponses.close();
        this.objects.closeAll();
        this.readers.shutdown();
    }

    // HTTP

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!checkHeaders(request, response)) {
            return;
        }
        if (!isJson(request.getContentType())) {
            error(response, 415, McpSchema.ErrorCodes.INVALID_REQUEST, "The body must be application/json");
            return;
        }
        String body = readBody(request);
        if (body == null) {
            error(response, 413, McpSchema.ErrorCodes.INVALID_REQUEST,
                    "The body is larger than " + this.maxRequestBytes + " bytes");
            return;
        }
        McpSchema.JSONRPCMessage message;
        try {
            message = this.messages.read(body);
        }
        catch (IOException | RuntimeException ex) {
            error(response, 400, McpSchema.ErrorCodes.PARSE_ERROR, "The body is not a JSON-RPC message");
            return;
        }
        try {
            if (message instanceof McpSchema.JSONRPCRequest jsonRequest
                    && McpSchema.METHOD_INITIALIZE.equals(jsonRequest.method())) {
                initialize(request, response, jsonRequest);
                return;
            }
            Session session = requireSession(request, response);
            if (session == null) {
                return;
            }
            if (message instanceof McpSchema.JSONRPCNotification notification) {
                acceptNotification(request, session, notification);
                response.setStatus(202);
            }
            else if (message instanceof McpSchema.JSONRPCResponse clientResponse) {
                routeClientResponse(session, clientResponse);
                response.setStatus(202);
            }
            else if (message instanceof McpSchema.JSONRPCRequest jsonRequest) {
                if (this.draining) {
                    unavailable(response, "This instance is shutting down; send the request again");
                }
                else if (!accepts(request, "text/event-stream")) {
                    error(response, 400, McpSchema.ErrorCodes.INVALID_REQUEST,
                            "The Accept header must allow text/event-stream");
                }
                else {
                    respond(request, response, session, jsonRequest);
                }
            }
        }
        catch (McpSessionException ex) {
            storeError(response, ex);
        }
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!checkHeaders(request, response)) {
            return;
        }
        if (this.draining) {
            unavailable(response, "This instance is shutting down; connect again");
            return;
        }
        if (!accepts(request, "text/event-stream")) {
            error(response, 400, McpSchema.ErrorCodes.INVALID_REQUEST, "The Accept header must allow text/event-stream");
            return;
        }
        try {
            Session session = requireSession(request, response);
            if (session == null) {
                return;
            }
            String lastEventId = request.getHeader(LAST_EVENT_ID);
            if (lastEventId == null) {
                listen(request, response, session, null);
                return;
            }
            McpEventId resumeFrom = McpEventId.parse(lastEventId);
            if (resumeFrom == null) {
                error(response, 400, McpSchema.ErrorCodes.INVALID_REQUEST, "Last-Event-ID is not an event id of this server");
            }
            else if (resumeFrom.stream().isListening()) {
                listen(request, response, session, resumeFrom.cursor());
            }
            else {
                resume(request, response, session, resumeFrom);
            }
        }
        catch (McpSessionException ex) {
            storeError(response, ex);
        }
    }

    @Override
    protected void doDelete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (!checkHeaders(request, response)) {
            return;
        }
        try {
            Session session = requireSession(request, response);
            if (session == null) {
                return;
            }
            this.store.delete(session.id());
            this.objects.remove(session.id());
            response.setStatus(200);
        }
        catch (McpSessionException ex) {
            storeError(response, ex);
        }
    }

    @Override
    protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
        methodNotAllowed(response);
    }

    @Override
    protected void doPatch(HttpServletRequest request, HttpServletResponse response) throws IOException {
        methodNotAllowed(response);
    }

    private void initialize(HttpServletRequest request, HttpServletResponse response,
            McpSchema.JSONRPCRequest jsonRequest) throws IOException {
        if (this.draining) {
            unavailable(response, "This instance is shutting down; initialize again");
            return;
        }
        if (!accepts(request, "application/json")) {
            error(response, 400, McpSchema.ErrorCodes.INVALID_REQUEST, "The Accept header must allow application/json");
            return;
        }
        McpSchema.InitializeRequest initialize;
        try {
            initialize = this.json.convertValue(jsonRequest.params(), McpSchema.InitializeRequest.class);
        }
        catch (RuntimeException ex) {
            error(response, 400, McpSchema.ErrorCodes.INVALID_PARAMS, "The initialize request's params are malformed");
            return;
        }
        if (initialize == null) {
            error(response, 400, McpSchema.ErrorCodes.INVALID_PARAMS, "The initialize request has no params");
            return;
        }
        McpSchema.InitializeResult result = this.objects.initialize(initialize);
        Map<String, Object> mcp = Map.of("initialize", jsonRequest.params());
        Session session = this.store.create(new NewSession(null, this.messages.write(initialize.capabilities()),
                this.messages.write(result.capabilities()), result.protocolVersion(),
                this.messages.write(Map.of("mcp", mcp)), principalOf(request)));
        obtain(session);
        response.setStatus(200);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setHeader(SESSION_HEADER, session.id());
        response.getOutputStream()
            .write(this.messages.write(McpSchema.JSONRPCResponse.result(jsonRequest.id(), result))
                .getBytes(StandardCharsets.UTF_8));
    }

    private void acceptNotification(HttpServletRequest request, Session session,
            McpSchema.JSONRPCNotification notification) {
        if (McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(notification.method()) && !session.initialized()) {
            this.store.update(session.id(), new SessionPatch("{\"initialized\":true}"));
        }
        McpTransportContext context = this.contextExtractor.extract(request);
        obtain(session).accept(notification)
            .contextWrite((ctx) -> ctx.put(McpTransportContext.KEY, context))
            .onErrorResume((ex) -> {
                logger.debug("A notification of session {} failed: {}", session.id(), ex.getMessage());
                return Mono.empty();
            })
            .block();
    }

    /** A client answered a server request: the answer goes to the instance where the request waits. */
    private void routeClientResponse(Session session, McpSchema.JSONRPCResponse clientResponse) {
        String owner = McpMessages.instanceOf(clientResponse);
        if (owner == null) {
            logger.debug("Ignored a response of session {} to a request this server never sent", session.id());
        }
        else if (owner.equals(this.tags.instanceId())) {
            acceptClientResponse(session.id(), McpMessages.withSdkId(clientResponse));
        }
        else {
            this.clientResponses.forward(session.id(), owner, this.messages.write(clientResponse));
        }
    }

    private void acceptClientResponse(String sessionId, McpSchema.JSONRPCResponse clientResponse) {
        McpStreamableServerSession session = this.objects.find(sessionId);
        if (session == null) {
            logger.debug("A response of session {} came after its request's session object was gone", sessionId);
            return;
        }
        session.accept(clientResponse).onErrorResume((ex) -> {
            logger.debug("A response of session {} found no waiting request: {}", sessionId, ex.getMessage());
            return Mono.empty();
        }).subscribe();
    }

    /** Runs a request: its response stream is appended to the log and written to the client while it is there. */
    private void respond(HttpServletRequest request, HttpServletResponse response, Session session,
            McpSchema.JSONRPCRequest jsonRequest) throws IOException {
        McpStreamableServerSession sdkSession = obtain(session);
        String tag = this.tags.newTag();
        StreamKey key = StreamKey.response(tag, this.messages.write(jsonRequest.id()));
        ResponseStream[] stream = new ResponseStream[1];
        McpTransportContext context = this.contextExtractor.extract(request)
            .putAll(Map.of(CLOSE_CONNECTION, (Runnable) () -> stream[0].closeConnection()));
        // The lease is live before the client hears of the stream, so that a resumer never mistakes it for dead.
        this.leases.begin(session.id());
        this.running.incrementAndGet();
        SseConnection connection = openResponse(request, response, session, key);
        stream[0] = new ResponseStream(session.id(), tag, key, this.messages, this.log, connection);
        sdkSession.responseStream(stream[0])
            .handle(jsonRequest)
            .contextWrite((ctx) -> ctx.put(McpTransportContext.KEY, context))
            .doFinally((signal) -> {
                stream[0].close();
                this.leases.end(session.id());
                if (this.running.decrementAndGet() == 0) {
                    synchronized (this.runningMonitor) {
                        this.runningMonitor.notifyAll();
                    }
                }
            })
            .subscribe(null, (ex) -> logger.debug("A request of session {} failed: {}", session.id(), ex.getMessage()));
    }

    /** The client's connection to a request's stream, or {@code null} when it left at once (it may resume). */
    private @Nullable SseConnection openResponse(HttpServletRequest request, HttpServletResponse response,
            Session session, StreamKey key) {
        try {
            // Written by the request's thread while the request runs: in blocking mode (see SseConnection.open).
            SseConnection connection = SseConnection.open(request, response, this.connections, null);
            this.responding.add(connection);
            connection.onGone(() -> this.responding.remove(connection));
            connection.send(prelude(session, new McpEventId(key, Cursor.of(null, 0))));
            return connection;
        }
        catch (IOException ex) {
            return null;
        }
    }

    /**
     * Opens the session's GET stream: from {@code resumeFrom} when the client resumes it, else from now. A newer GET
     * connection of the session, on any instance, ends this one: the server sends each message on one stream.
     */
    private void listen(HttpServletRequest request, HttpServletResponse response, Session session,
            @Nullable Cursor resumeFrom) throws IOException {
        EventRecord announced = this.log.appendInternal(session.id(), McpLog.CONTROL, StreamKey.LISTENING.tag(),
                "{\"connection\":\"" + this.tags.newTag() + "\"}");
        Cursor start = (resumeFrom != null) ? resumeFrom : Cursor.of(announced.epoch(), announced.seq());
        SseConnection connection = SseConnection.open(request, response, this.connections, this.readers);
        String prelude = (resumeFrom != null) ? SseFrames.retry(this.retry)
                : prelude(session, new McpEventId(StreamKey.LISTENING, start));
        follow(session, StreamKey.LISTENING, start, connection, prelude, announced.seq());
    }

    /** Resumes a POST's response stream from the log, until its final message, on whichever instance runs it. */
    private void resume(HttpServletRequest request, HttpServletResponse response, Session session,
            McpEventId resumeFrom) throws IOException {
        StreamKey key = resumeFrom.stream();
        EventPage finals = this.store.read(session.id(),
                EventQuery.after(0).withRunId(key.tag()).withType(McpLog.RESPONSE).withLimit(1));
        String epoch = resumeFrom.cursor().epoch();
        if (!finals.events().isEmpty() && finals.events().get(0).seq() <= resumeFrom.cursor().seq()
                && (epoch == null || finals.epoch().equals(epoch))) {
            // The client has the stream's last message already: there is nothing more, and nothing to reconnect to.
            response.setStatus(204);
            return;
        }
        SseConnection connection = SseConnection.open(request, response, this.connections, this.readers);
        follow(session, key, resumeFrom.cursor(), connection, SseFrames.retry(this.retry), 0);
    }

    private void follow(Session session, StreamKey key, Cursor start, SseConnection connection, String prelude,
            long announcedAt) {
        StreamFollower follower = new StreamFollower(this.log, session.id(), key, start, connection, this.readers,
                this.leases, this.messages, announcedAt, this.followers::remove);
        this.followers.add(follower);
        try {
            connection.send(prelude);
        }
        catch (IOException ex) {
            follower.end();
            return;
        }
        follower.start();
        follower.checkOwner();
    }

    /** The frames that open a stream: the reconnection time, and for clients that expect it a priming event. */
    private String prelude(Session session, McpEventId priming) {
        String version = session.protocolVersion();
        String retry = SseFrames.retry(this.retry);
        return (version != null && version.compareTo(FIRST_PRIMED_VERSION) >= 0)
                ? retry + SseFrames.event(priming.token(), null, "") : retry;
    }

    // Sessions

    /** The caller's session, or {@code null} after answering 400 (no id) or 404 (unknown, expired, not theirs). */
    private @Nullable Session requireSession(HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        String id = request.getHeader(SESSION_HEADER);
        if (id == null || id.isBlank()) {
            error(response, 400, McpSchema.ErrorCodes.INVALID_REQUEST, "The Mcp-Session-Id header is missing");
            return null;
        }
        String version = request.getHeader(PROTOCOL_HEADER);
        if (version != null && !VERSIONS.contains(version)) {
            error(response, 400, McpSchema.ErrorCodes.INVALID_REQUEST, "Unsupported MCP-Protocol-Version: " + version);
            return null;
        }
        Session session = (id.length() <= 128) ? this.store.find(id).orElse(null) : null;
        if (session == null || !isMcpSession(session)
                || !java.util.Objects.equals(session.principal(), principalOf(request))) {
            if (session == null) {
                this.objects.remove(id);
            }
            error(response, 404, -32001, "Session not found");
            return null;
        }
        return session;
    }

    /** The SDK's session object of a store session, restored from the store where this instance has none. */
    private McpStreamableServerSession obtain(Session session) {
        Map<String, Object> mcp = mcpMetadata(session);
        McpSchema.InitializeRequest initialize = this.json.convertValue(mcp.get("initialize"),
                McpSchema.InitializeRequest.class);
        Object level = mcp.get("logLevel");
        return this.objects.obtain(session.id(), initialize,
                (level instanceof String name) ? McpSchema.LoggingLevel.fromValue(name) : null, this::persistLevel,
                () -> new ListeningLog(session.id()));
    }

    private void persistLevel(String sessionId, McpSchema.LoggingLevel level) {
        this.store.update(sessionId, new SessionPatch(
                this.messages.write(Map.of("metadata", Map.of("mcp", Map.of("logLevel", level.name().toLowerCase()))))));
    }

    private boolean isMcpSession(Session session) {
        return session.metadata().contains("\"mcp\"") && mcpMetadata(session).containsKey("initialize");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> mcpMetadata(Session session) {
        try {
            Object mcp = this.json.readValue(session.metadata(), MAP).get("mcp");
            return (mcp instanceof Map<?, ?> map) ? (Map<String, Object>) map : Map.of();
        }
        catch (IOException ex) {
            return Map.of();
        }
    }

    private void appendQuietly(String sessionId, String notification) {
        try {
            this.log.append(sessionId, StreamKey.LISTENING.tag(), notification);
        }
        catch (McpSessionException ex) {
            logger.debug("Could not notify session {}: {}", sessionId, ex.getMessage());
        }
    }

    // Housekeeping

    private void sendKeepalives() {
        for (StreamFollower follower : this.followers) {
            sendQuietly(follower.connection());
        }
        for (SseConnection connection : this.responding) {
            sendQuietly(connection);
        }
    }

    private void sendQuietly(SseConnection connection) {
        try {
            connection.keepalive();
        }
        catch (IOException ex) {
            // Ended: whoever follows it hears of that.
        }
    }

    /** Ends the connections whose client has taken no bytes for the write timeout: they resume from the log. */
    private void endStalledConnections() {
        long now = System.nanoTime();
        for (SseConnection connection : this.connections) {
            long since = connection.stalledSince();
            if (since != 0 && now - since > this.writeTimeoutNanos) {
                logger.info("Ending an MCP stream whose client has taken no bytes for {} ms",
                        Duration.ofNanos(now - since).toMillis());
                connection.abort();
            }
        }
    }

    private void tendLeases() {
        try {
            this.leases.renew();
            for (StreamFollower follower : this.followers) {
                follower.checkOwner();
            }
        }
        catch (RuntimeException ex) {
            logger.warn("Could not tend the owner leases", ex);
        }
    }

    /** An open GET stream counts as activity: its session is touched well within the idle timeout. */
    private void touchListenedSessions() {
        Set<String> touched = new HashSet<>();
        for (StreamFollower follower : this.followers) {
            if (follower.isListening() && touched.add(follower.sessionId())) {
                try {
                    this.store.touch(follower.sessionId());
                }
                catch (McpSessionException ex) {
                    follower.signal();
                }
            }
        }
    }

    private void housekeeping() {
        try {
            this.clientResponses.sweep();
            Set<String> busy = new HashSet<>();
            this.followers.forEach((follower) -> busy.add(follower.sessionId()));
            this.objects.evictIdle(Duration.ofMinutes(5), (id) -> busy.contains(id) || this.leases.isAlive(id,
                    this.tags.instanceId()));
        }
        catch (RuntimeException ex) {
            logger.warn("MCP transport housekeeping failed", ex);
        }
    }

    private void endStreams() {
        List<StreamFollower> open = new ArrayList<>(this.followers);
        open.forEach(StreamFollower::end);
        List<SseConnection> connections = new ArrayList<>(this.responding);
        connections.forEach(SseConnection::end);
    }

    /** Ends every connection now, also those still finishing what waits for a slow client. */
    private void abortConnections() {
        List<SseConnection> connections = new ArrayList<>(this.connections);
        connections.forEach(SseConnection::abort);
    }

    // HTTP details

    private boolean checkHeaders(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            this.headerValidator.validate(new ServletHeaders(request));
            return true;
        }
        catch (ServerTransportSecurityException ex) {
            error(response, ex.getStatusCode(), McpSchema.ErrorCodes.INVALID_REQUEST, ex.getMessage());
            return false;
        }
    }

    /** The body as text, or {@code null} when it is larger than the limit. */
    private @Nullable String readBody(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > this.maxRequestBytes) {
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(this.maxRequestBytes + 1);
            return (body.length > this.maxRequestBytes) ? null : new String(body, StandardCharsets.UTF_8);
        }
    }

    private void storeError(HttpServletResponse response, McpSessionException ex) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        if (ex.code() == ErrorCode.SESSION_NOT_FOUND) {
            error(response, 404, -32001, "Session not found");
        }
        else if (ex.code() == ErrorCode.STORE_UNAVAILABLE) {
            unavailable(response, "The session store is unavailable; try again");
        }
        else if (ex.code() == ErrorCode.MAX_SESSIONS_REACHED) {
            error(response, 429, McpSchema.ErrorCodes.INTERNAL_ERROR, ex.getMessage());
        }
        else {
            error(response, 400, McpSchema.ErrorCodes.INVALID_REQUEST, ex.getMessage());
        }
    }

    private void unavailable(HttpServletResponse response, String message) throws IOException {
        response.setHeader("Retry-After", "1");
        error(response, 503, McpSchema.ErrorCodes.INTERNAL_ERROR, message);
    }

    private void methodNotAllowed(HttpServletResponse response) throws IOException {
        response.setHeader("Allow", "GET, POST, DELETE");
        error(response, 405, McpSchema.ErrorCodes.INVALID_REQUEST, "Method not allowed");
    }

    /** A JSON-RPC error body with an HTTP status: what every failure of this endpoint answers. */
    private void error(HttpServletResponse response, int status, int code, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(this.messages.error(null, code, message).getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isJson(@Nullable String contentType) {
        return contentType != null && contentType.toLowerCase().startsWith("application/json");
    }

    /** Whether the Accept header allows a media type (no header allows everything). */
    private static boolean accepts(HttpServletRequest request, String type) {
        List<String> values = Collections.list(request.getHeaders("Accept"));
        if (values.isEmpty()) {
            return true;
        }
        String family = type.substring(0, type.indexOf('/')) + "/*";
        for (String value : values) {
            for (String range : value.split(",")) {
                String mediaRange = range.split(";")[0].trim().toLowerCase();
                if (mediaRange.equals(type) || mediaRange.equals(family) || mediaRange.equals("*/*")) {
                    return true;
                }
            }
        }
        return false;
    }

    private static @Nullable String principalOf(HttpServletRequest request) {
        return (request.getUserPrincipal() != null) ? request.getUserPrincipal().getName() : null;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return (runnable) -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The SDK's transport for session-level messages: they go to the log of the session's GET stream. */
    private final class ListeningLog implements McpStreamableServerTransport {

        private final String sessionId;

        ListeningLog(String sessionId) {
            this.sessionId = sessionId;
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
            return sendMessage(message, null);
        }

        @Override
        public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, @Nullable String messageId) {
            return Mono.fromRunnable(() -> DurableMcpTransportProvider.this.log.append(this.sessionId,
                    StreamKey.LISTENING.tag(), DurableMcpTransportProvider.this.messages.outgoing(this.sessionId,
                            message)));
        }

        @Override
        public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
            return DurableMcpTransportProvider.this.messages.convert(data, typeRef);
        }

        @Override
        public Mono<Void> closeGracefully() {
            return Mono.empty();
        }

        @Override
        public void close() {
        }

    }

    /** The SDK's view of a servlet request's headers, for its Origin and Host checks. */
    private record ServletHeaders(HttpServletRequest request) implements HeaderAccessor {

        @Override
        public List<String> getHeader(String name) {
            return Collections.list(this.request.getHeaders(name));
        }

        @Override
        public List<String> getHeaderNames() {
            return Collections.list(this.request.getHeaderNames());
        }

    }

    /** Settings of the transport. */
    public static final class Builder {

        private final SessionStore store;

        private @Nullable McpJsonMapper jsonMapper;

        private Duration retry = Duration.ofSeconds(3);

        private Duration keepalive = Duration.ofSeconds(15);

        private Duration writeTimeout = Duration.ofSeconds(30);

        private Duration ownerLease = Duration.ofSeconds(15);

        private Duration touchInterval = Duration.ofMinutes(1);

        private int maxRequestBytes = 4 * 1024 * 1024;

        private List<String> allowedOrigins = LOCAL_ORIGINS;

        private List<String> allowedHosts = List.of();

        private @Nullable ServerHttpHeaderValidator headerValidator;

        private McpTransportContextExtractor<HttpServletRequest> contextExtractor = (request) -> McpTransportContext.EMPTY;

        private Clock clock = Clock.systemUTC();

        private Builder(SessionStore store) {
            this.store = store;
        }

        /** The JSON mapper of the SDK's messages (default: the SDK's default mapper). */
        public Builder jsonMapper(McpJsonMapper jsonMapper) {
            this.jsonMapper = jsonMapper;
            return this;
        }

        /** The reconnection time sent first on every stream (default 3 s). */
        public Builder retry(Duration retry) {
            this.retry = retry;
            return this;
        }

        /** The period of keepalive comments on open streams (default 15 s). */
        public Builder keepalive(Duration keepalive) {
            this.keepalive = keepalive;
            return this;
        }

        /**
         * How long a client may take no bytes of a stream before its connection ends (default 30 s); it resumes
         * from the log. Streams are written without blocking, so no thread waits for such a client meanwhile.
         */
        public Builder writeTimeout(Duration writeTimeout) {
            this.writeTimeout = writeTimeout;
            return this;
        }

        /**
         * How long an instance's claim on the requests it runs lasts without renewal (default 15 s): a stream whose
         * instance died ends with an error about this long after the death.
         */
        public Builder ownerLease(Duration ownerLease) {
            this.ownerLease = ownerLease;
            return this;
        }

        /** How often a session with an open GET stream is touched (default 1 min; well within the idle timeout). */
        public Builder touchInterval(Duration touchInterval) {
            this.touchInterval = touchInterval;
            return this;
        }

        /** The largest request body (default 4 MiB). */
        public Builder maxRequestBytes(int maxRequestBytes) {
            this.maxRequestBytes = maxRequestBytes;
            return this;
        }

        /**
         * Origins besides localhost (on any port) that may call the endpoint from a browser
         * ({@code scheme://host:port}, {@code :*} for any port); a request with another {@code Origin} gets 403, as
         * the transport's protection against DNS rebinding.
         */
        public Builder allowedOrigins(List<String> allowedOrigins) {
            List<String> origins = new ArrayList<>(LOCAL_ORIGINS);
            origins.addAll(allowedOrigins);
            this.allowedOrigins = List.copyOf(origins);
            return this;
        }

        /** Hosts the {@code Host} header may name ({@code host:*} for any port); empty (the default) for any. */
        public Builder allowedHosts(List<String> allowedHosts) {
            this.allowedHosts = List.copyOf(allowedHosts);
            return this;
        }

        /** Replaces the Origin and Host checks. */
        public Builder headerValidator(ServerHttpHeaderValidator headerValidator) {
            this.headerValidator = headerValidator;
            return this;
        }

        /** What the SDK's handlers see of the HTTP request (default: nothing). */
        public Builder contextExtractor(McpTransportContextExtractor<HttpServletRequest> contextExtractor) {
            this.contextExtractor = contextExtractor;
            return this;
        }

        /** The clock of lease decisions (default: the system's). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public DurableMcpTransportProvider build() {
            return new DurableMcpTransportProvider(this);
        }

    }

}
