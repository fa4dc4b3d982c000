package io.mcpsession.mcp.modern;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.modern.McpException;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.McpSchema.CallToolRequest;
import io.modelcontextprotocol.modern.McpSchema.CallToolResult;
import io.modelcontextprotocol.modern.McpSchema.ClientCapabilities;
import io.modelcontextprotocol.modern.McpSchema.InputRequiredResult;
import io.modelcontextprotocol.modern.McpSchema.ServerCapabilities;
import io.modelcontextprotocol.modern.server.McpAsyncResponse;
import io.modelcontextprotocol.modern.server.McpFeature;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import io.modelcontextprotocol.modern.server.feature.McpSyncTool;
import io.modelcontextprotocol.modern.server.feature.McpSyncToolRepository;
import io.modelcontextprotocol.modern.server.feature.ToolsFeature;
import io.modelcontextprotocol.modern.server.feature.ToolsPage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.Cursor;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.mcp.modern.TaskWire.Task;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.Subscription;

/**
 * The tools of a 2026-07-28 server with the Tasks extension ({@code io.modelcontextprotocol/tasks}, SEP-2663) on a
 * {@link SessionStore}: it serves the application's tools as the SDK's {@link ToolsFeature} does, and its
 * {@linkplain McpTaskTool task tools} as tasks that any instance answers for. Use it in place of a
 * {@code ToolsFeature}: {@code McpServer.builder().feature(tasks)}.
 * <p>
 * A task is a store session (its id is the task id, its owner the caller's principal, so it expires by the
 * session timeout): its record is a state value, and the client's answers and cancellations are events of its log,
 * which wake the instance that runs it wherever they arrive. That instance renews a lease on the task while it
 * runs; a task whose lease has run out (its instance died) is failed by the next {@code tasks/get}, on any instance.
 */
public final class StoreTasksFeature implements McpFeature, AutoCloseable {

    /** The extension's identifier, in capabilities. */
    public static final String EXTENSION = "io.modelcontextprotocol/tasks";

    static final String TASK_KEY = "task";

    static final String LEASE_KEY = "lease";

    static final String ANSWERS = "task.answers";

    static final String CANCEL = "task.cancel";

    private static final Logger logger = LoggerFactory.getLogger(StoreTasksFeature.class);

    private static final Set<String> TASK_METHODS = Set.of("tasks/get", "tasks/update", "tasks/cancel");

    private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {
    };

    /** JSON-RPC's internal error, the code of a task that failed without a result. */
    private static final int INTERNAL_ERROR = -32603;

    /** SEP-2243: a routing header that does not match the body. */
    private static final int HEADER_MISMATCH = -32020;

    private final SessionStore store;

    private final McpJsonMapper json;

    private final ToolsFeature tools;

    private final Map<String, McpTaskTool> taskTools;

    private final Duration ttl;

    private final Duration pollInterval;

    private final Duration lease;

    private final Clock clock;

    private final ExecutorService workers;

    private final ScheduledExecutorService ticker;

    private final Map<String, Running> running = new ConcurrentHashMap<>();

    private StoreTasksFeature(Builder builder) {
        this.store = builder.store;
        this.json = (builder.jsonMapper != null) ? builder.jsonMapper : McpJsonDefaults.getMapper();
        this.taskTools = Map.copyOf(builder.taskTools);
        this.ttl = builder.ttl;
        this.pollInterval = builder.pollInterval;
        this.lease = builder.lease;
        this.clock = builder.clock;
        this.tools = ToolsFeature.ofSync(new WithTaskTools(builder.tools));
        this.workers = Executors.newFixedThreadPool(builder.maxRunning, daemonThreads("mcp-session-task-"));
        this.ticker = Executors.newSingleThreadScheduledExecutor(daemonThreads("mcp-session-task-lease-"));
        long renew = Math.max(1, this.lease.toMillis() / 3);
        this.ticker.scheduleAtFixedRate(this::renewLeases, renew, renew, TimeUnit.MILLISECONDS);
    }

    /**
     * @param store where tasks live
     * @param tools the application's other tools, which answer as usual
     */
    public static Builder builder(SessionStore store, McpSyncToolRepository tools) {
        return new Builder(store, tools);
    }

    @Override
    public Set<String> methods() {
        Set<String> methods = new HashSet<>(this.tools.methods());
        methods.addAll(TASK_METHODS);
        return methods;
    }

    @Override
    public void capabilities(ServerCapabilities.Builder capabilities) {
        this.tools.capabilities(capabilities);
        capabilities.extension(EXTENSION, Map.of());
    }

    @Override
    public Set<String> inputRequiredMethods() {
        return this.tools.inputRequiredMethods();
    }

    @Override
    public Mono<? extends McpAsyncResponse<? extends McpSchema.Result>> handle(McpRequestContext context,
            Object params) {
        return switch (context.method()) {
            case "tasks/get" -> answer(() -> get(context, params));
            case "tasks/update" -> answer(() -> update(context, params));
            case "tasks/cancel" -> answer(() -> cancel(context, params));
            case "tools/call" -> call(context, params);
            default -> this.tools.handle(context, params);
        };
    }

    @Override
    public void close() {
        this.ticker.shutdownNow();
        this.workers.shutdownNow();
    }

    private Mono<? extends McpAsyncResponse<? extends McpSchema.Result>> call(McpRequestContext context,
            Object params) {
        CallToolRequest request;
        try {
            request = this.json.convertValue(params, CallToolRequest.class);
        }
        catch (RuntimeException ex) {
            return this.tools.handle(context, params);
        }
        McpTaskTool tool = (request != null) ? this.taskTools.get(request.name()) : null;
        if (tool == null || !declaresExtension(context)) {
            // Other tools, and task tools called by a client without the extension, answer as usual.
            return this.tools.handle(context, params);
        }
        return answer(() -> {
            InputRequiredResult first = tool.beforeTask(context, request);
            return (first != null) ? first : start(context, tool, request);
        });
    }

    /** Makes the task durable before answering with it, so that a {@code tasks/get} anywhere finds it at once. */
    private McpSchema.Result start(McpRequestContext context, McpTaskTool tool, CallToolRequest request) {
        String taskId = UUID.randomUUID().toString();
        Task task = Task.working(taskId, this.clock.instant(), this.ttl.toMillis(), this.pollInterval.toMillis());
        this.store.create(new NewSession(taskId, null, null, context.protocolVersion(),
                write(Map.of("mcpTask", tool.definition().name())), ServletRequestContext.principal(context)));
        this.store.putState(taskId, LEASE_KEY, leaseUntil());
        this.store.putState(taskId, TASK_KEY, write(task));
        Running run = new Running(taskId);
        this.running.put(taskId, run);
        this.workers.execute(() -> run.run(tool, request));
        return TaskWire.CreateTaskResult.of(task);
    }

    private McpSchema.Result get(McpRequestContext context, Object params) {
        Task task = load(context, params);
        if (!task.isTerminal() && !this.running.containsKey(task.taskId()) && leaseExpired(task.taskId())) {
            task = task.with(TaskWire.FAILED, this.clock.instant(), null, error(INTERNAL_ERROR,
                    "The instance that ran this task stopped before it ended"), null, null);
            save(task);
        }
        return TaskWire.DetailedTask.of(task);
    }

    /** Takes the client's answers: the task waits on until every request it made is answered. */
    private McpSchema.Result update(McpRequestContext context, Object params) {
        Task task = load(context, params);
        Map<String, Object> answers = mapParam(params, "inputResponses");
        Map<String, Object> pending = (task.inputRequests() != null) ? new LinkedHashMap<>(task.inputRequests())
                : new LinkedHashMap<>();
        Map<String, Object> taken = new LinkedHashMap<>();
        answers.forEach((key, value) -> {
            if (pending.remove(key) != null) {
                taken.put(key, value);
            }
        });
        if (!task.isTerminal() && !taken.isEmpty()) {
            // The record first: the task reads the answers only after it, so its next request is never overwritten.
            save(pending.isEmpty() ? task.with(TaskWire.WORKING, this.clock.instant(), null, null, null, null)
                    : task.with(TaskWire.INPUT_REQUIRED, this.clock.instant(), null, null, pending,
                            task.statusMessage()));
            this.store.append(task.taskId(), new NewEvent(null, ANSWERS, write(taken), null, null, false));
        }
        return new TaskWire.Ack();
    }

    private McpSchema.Result cancel(McpRequestContext context, Object params) {
        Task task = load(context, params);
        if (!task.isTerminal()) {
            save(task.with(TaskWire.CANCELLED, this.clock.instant(), null, null, null, "Cancelled by the client"));
            this.store.append(task.taskId(), new NewEvent(null, CANCEL, "{}", null, null, false));
        }
        return new TaskWire.Ack();
    }

    /** The caller's task, or invalid params as for a task that does not exist. */
    private Task load(McpRequestContext context, Object params) {
        if (!declaresExtension(context)) {
            throw missingExtension();
        }
        Object taskId = (params instanceof Map<?, ?> map) ? map.get("taskId") : null;
        if (!(taskId instanceof String id) || id.isEmpty()) {
            throw McpException.invalidParams("params.taskId must be a task id");
        }
        String routedName = ServletRequestContext.mcpName(context);
        if (routedName != null && !routedName.equals(id)) {
            throw new McpException(HEADER_MISMATCH, "The Mcp-Name header does not match params.taskId");
        }
        Optional<Session> session = findQuietly(id);
        if (session.isEmpty() || !Objects.equals(session.get().principal(), ServletRequestContext.principal(context))) {
            throw McpException.invalidParams("Unknown task: " + id);
        }
        return this.store.getState(id, TASK_KEY).map((text) -> read(text, Task.class))
            .orElseThrow(() -> McpException.invalidParams("Unknown task: " + id));
    }

    private Optional<Session> findQuietly(String id) {
        try {
            return this.store.find(id);
        }
        catch (McpSessionException ex) {
            if (ex.code() == ErrorCode.INVALID_SESSION_ID) {
                return Optional.empty();
            }
            throw ex;
        }
    }

    private void save(Task task) {
        this.store.putState(task.taskId(), TASK_KEY, write(task));
    }

    private Optional<Task> current(String taskId) {
        try {
            return this.store.getState(taskId, TASK_KEY).map((text) -> read(text, Task.class));
        }
        catch (McpSessionException ex) {
            if (ex.code() == ErrorCode.SESSION_NOT_FOUND) {
                return Optional.empty();
            }
            throw ex;
        }
    }

    private boolean leaseExpired(String taskId) {
        long until = this.store.getState(taskId, LEASE_KEY).map(Long::parseLong).orElse(0L);
        return until < this.clock.millis();
    }

    private String leaseUntil() {
        return Long.toString(this.clock.millis() + this.lease.toMillis());
    }

    private void renewLeases() {
        for (String taskId : List.copyOf(this.running.keySet())) {
            try {
                this.store.putState(taskId, LEASE_KEY, leaseUntil());
            }
            catch (RuntimeException ex) {
                logger.debug("Cannot renew the lease on task {}", taskId, ex);
            }
        }
    }

    private static boolean declaresExtension(McpRequestContext context) {
        ClientCapabilities capabilities = context.clientCapabilities();
        return capabilities != null && capabilities.extensions() != null
                && capabilities.extensions().containsKey(EXTENSION);
    }

    private static McpException missingExtension() {
        return McpException.missingClientCapability(
                ClientCapabilities.builder().extensions(Map.of(EXTENSION, Map.of())).build());
    }

    private static Mono<McpAsyncResponse<McpSchema.Result>> answer(Callable<McpSchema.Result> work) {
        return Mono.fromCallable(work).map(McpAsyncResponse::result).subscribeOn(Schedulers.boundedElastic());
    }

    private Map<String, Object> mapParam(Object params, String name) {
        Object value = (params instanceof Map<?, ?> map) ? map.get(name) : null;
        if (!(value instanceof Map<?, ?>)) {
            throw McpException.invalidParams("params." + name + " must be an object");
        }
        return this.json.convertValue(value, MAP);
    }

    private static Map<String, Object> error(int code, String message) {
        return Map.of("code", code, "message", message);
    }

    private String write(Object value) {
        try {
            return this.json.writeValueAsString(value);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private <T> T read(String text, Class<T> type) {
        try {
            return this.json.readValue(text, type);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private Map<String, Object> readMap(String text) {
        try {
            return this.json.readValue(text, MAP);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
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

    /** A task running here: it hears its log (answers, cancellation) while its tool works. */
    private final class Running implements TaskRun, SessionListener {

        private final String taskId;

        private final Object monitor = new Object();

        private final Map<String, Object> answers = new LinkedHashMap<>();

        private volatile boolean cancelled;

        private volatile @Nullable Thread thread;

        private Cursor seen = Cursor.of(null, 0);

        Running(String taskId) {
            this.taskId = taskId;
        }

        void run(McpTaskTool tool, CallToolRequest request) {
            this.thread = Thread.currentThread();
            Subscription subscription = null;
            try {
                subscription = StoreTasksFeature.this.store.subscribe(this.taskId, this);
                // What came before the subscription (a cancellation right after the task was made).
                readLog();
                CallToolResult result = tool.run(this, request);
                end(TaskWire.COMPLETED, result, null);
            }
            catch (InterruptedException ex) {
                if (!this.cancelled) {
                    end(TaskWire.FAILED, null, error(INTERNAL_ERROR, "The task was interrupted"));
                }
            }
            catch (Exception ex) {
                if (!this.cancelled) {
                    logger.debug("Task {} failed", this.taskId, ex);
                    end(TaskWire.FAILED, null, error(INTERNAL_ERROR, "The task failed: " + ex.getMessage()));
                }
            }
            finally {
                StoreTasksFeature.this.running.remove(this.taskId);
                if (subscription != null) {
                    subscription.close();
                }
                Thread.interrupted();
            }
        }

        /** Writes how the task ended, unless it ended already (the client cancelled it). */
        private void end(String status, @Nullable Object result, @Nullable Map<String, Object> error) {
            try {
                current(this.taskId).filter((task) -> !task.isTerminal())
                    .ifPresent((task) -> save(task.with(status, StoreTasksFeature.this.clock.instant(), result, error,
                            null, null)));
            }
            catch (RuntimeException ex) {
                logger.warn("Cannot record the end of task {}", this.taskId, ex);
            }
        }

        @Override
        public String taskId() {
            return this.taskId;
        }

        @Override
        public boolean isCancelled() {
            return this.cancelled;
        }

        @Override
        public Map<String, Object> ask(InputRequiredResult requests) throws InterruptedException {
            Map<String, Object> asked = mapParam(StoreTasksFeature.this.json.convertValue(requests, MAP),
                    "inputRequests");
            synchronized (this.monitor) {
                this.answers.clear();
            }
            Task task = current(this.taskId).orElseThrow(() -> new InterruptedException("The task is gone"));
            if (task.isTerminal()) {
                throw new InterruptedException("The task ended");
            }
            save(task.with(TaskWire.INPUT_REQUIRED, StoreTasksFeature.this.clock.instant(), null, null, asked,
                    task.statusMessage()));
            synchronized (this.monitor) {
                while (!this.answers.keySet().containsAll(asked.keySet())) {
                    if (this.cancelled) {
                        throw new InterruptedException("The task was cancelled");
                    }
                    // Woken by the answers and the cancellation that this task's log brings (see appended).
                    this.monitor.wait();
                }
                Map<String, Object> taken = new LinkedHashMap<>(this.answers);
                taken.keySet().retainAll(asked.keySet());
                return taken;
            }
        }

        @Override
        public void appended(String sessionId, long latest, List<EventRecord> events) {
            // Read on the lease thread, never on the store's: answers and cancellation from any instance.
            StoreTasksFeature.this.ticker.execute(this::readLog);
        }

        private synchronized void readLog() {
            try {
                EventPage page;
                do {
                    page = StoreTasksFeature.this.store.read(this.taskId, EventQuery.after(this.seen));
                    List<EventRecord> events = new ArrayList<>(page.events());
                    for (EventRecord event : events) {
                        hear(event);
                    }
                    this.seen = Cursor.of(page.epoch(), page.nextCursor());
                }
                while (!page.events().isEmpty() && page.nextCursor() < page.latest());
            }
            catch (RuntimeException ex) {
                logger.debug("Cannot read the log of task {}", this.taskId, ex);
            }
        }

        private void hear(EventRecord event) {
            if (CANCEL.equals(event.type())) {
                this.cancelled = true;
                synchronized (this.monitor) {
                    this.monitor.notifyAll();
                }
                Thread running = this.thread;
                if (running != null) {
                    running.interrupt();
                }
            }
            else if (ANSWERS.equals(event.type())) {
                Map<String, Object> given = readMap(event.data());
                synchronized (this.monitor) {
                    given.forEach((key, value) -> this.answers.put(String.valueOf(key), value));
                    this.monitor.notifyAll();
                }
            }
        }

        @Override
        public void ephemeral(EphemeralEvent event) {
        }

        @Override
        public void closed(String sessionId, CloseReason reason) {
            // The task's session was deleted or expired: nobody can see its end any more.
            this.cancelled = true;
            Thread running = this.thread;
            if (running != null) {
                running.interrupt();
            }
        }

    }

    /**
     * The application's tools plus the task tools, for the SDK's tools feature: a task tool called by a client
     * without the extension runs to its result before answering, or is refused when it requires a task.
     */
    private final class WithTaskTools implements McpSyncToolRepository {

        private final McpSyncToolRepository tools;

        WithTaskTools(McpSyncToolRepository tools) {
            this.tools = tools;
        }

        @Override
        public ToolsPage list(McpRequestContext context, @Nullable String cursor) {
            ToolsPage page = this.tools.list(context, cursor);
            if (cursor != null) {
                return page;
            }
            List<McpSchema.Tool> all = new ArrayList<>(page.tools());
            StoreTasksFeature.this.taskTools.values().forEach((tool) -> all.add(tool.definition()));
            return new ToolsPage(all, page.nextCursor(), page.ttlMs(), page.cacheScope());
        }

        @Override
        public @Nullable McpSyncTool find(McpRequestContext context, String name) {
            McpTaskTool tool = StoreTasksFeature.this.taskTools.get(name);
            if (tool == null) {
                return this.tools.find(context, name);
            }
            return McpSyncTool.of(tool.definition(), (c, request) -> {
                if (tool.required()) {
                    throw missingExtension();
                }
                InputRequiredResult first = tool.beforeTask(c, request);
                if (first != null) {
                    return McpSyncResponse.result(first);
                }
                try {
                    return McpSyncResponse.result(tool.run(new WithoutTask(), request));
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new McpException(INTERNAL_ERROR, "Interrupted");
                }
                catch (McpException ex) {
                    throw ex;
                }
                catch (Exception ex) {
                    throw new McpException(INTERNAL_ERROR, "The tool failed: " + ex.getMessage());
                }
            });
        }

    }

    /** A task tool running for a client without the extension: it cannot ask for input mid-run. */
    private static final class WithoutTask implements TaskRun {

        @Override
        public @Nullable String taskId() {
            return null;
        }

        @Override
        public boolean isCancelled() {
            return Thread.currentThread().isInterrupted();
        }

        @Override
        public Map<String, Object> ask(InputRequiredResult requests) {
            throw missingExtension();
        }

    }

    /** Builds a {@link StoreTasksFeature}. */
    public static final class Builder {

        private final SessionStore store;

        private final McpSyncToolRepository tools;

        private final Map<String, McpTaskTool> taskTools = new LinkedHashMap<>();

        private @Nullable McpJsonMapper jsonMapper;

        private Duration ttl = Duration.ofMinutes(30);

        private Duration pollInterval = Duration.ofSeconds(1);

        private Duration lease = Duration.ofSeconds(15);

        private int maxRunning = 32;

        private Clock clock = Clock.systemUTC();

        private Builder(SessionStore store, McpSyncToolRepository tools) {
            this.store = Objects.requireNonNull(store, "store");
            this.tools = Objects.requireNonNull(tools, "tools");
        }

        public Builder taskTool(McpTaskTool tool) {
            this.taskTools.put(tool.definition().name(), tool);
            return this;
        }

        public Builder taskTools(List<? extends McpTaskTool> tools) {
            tools.forEach(this::taskTool);
            return this;
        }

        public Builder jsonMapper(McpJsonMapper jsonMapper) {
            this.jsonMapper = jsonMapper;
            return this;
        }

        /** How long a task stays readable ({@code ttlMs}): at most the store's session timeout. */
        public Builder ttl(Duration ttl) {
            this.ttl = positive(ttl, "ttl");
            return this;
        }

        /** How often clients are told to poll a task ({@code pollIntervalMs}). */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = positive(pollInterval, "pollInterval");
            return this;
        }

        /** How long a task outlives its instance before any instance fails it. */
        public Builder lease(Duration lease) {
            this.lease = positive(lease, "lease");
            return this;
        }

        /** The most tasks that run on this instance at once; more wait for a free worker. */
        public Builder maxRunning(int maxRunning) {
            if (maxRunning < 1) {
                throw new IllegalArgumentException("maxRunning must be positive");
            }
            this.maxRunning = maxRunning;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public StoreTasksFeature build() {
            return new StoreTasksFeature(this);
        }

        private static Duration positive(Duration duration, String name) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return duration;
        }

    }

}
