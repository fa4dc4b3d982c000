package io.mcpsession.mcp;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import io.modelcontextprotocol.json.schema.JsonSchemaValidator;
import io.modelcontextprotocol.server.McpNotificationHandler;
import io.modelcontextprotocol.server.McpRequestHandler;
import io.modelcontextprotocol.spec.DefaultMcpStreamableServerSessionFactory;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;

/**
 * The SDK's session objects on this instance, one per store session that this instance served lately, created at
 * {@code initialize} or restored from the store on the first request that reaches this instance.
 * <p>
 * The SDK's session factory mints its own random ids, and the session's public constructor needs the handler maps
 * that only the default factory holds. So the factory's parts are read once by reflection and every session object
 * is built under the store's id; where that fails (another factory, a changed SDK), the factory starts a session
 * under its own id and this instance maps the store's id to it (the exchange then reports the SDK's id).
 */
final class SessionObjects {

    private static final Logger logger = LoggerFactory.getLogger(SessionObjects.class);

    private final Map<String, Entry> objects = new ConcurrentHashMap<>();

    private volatile McpStreamableServerSession.@Nullable Factory factory;

    private volatile @Nullable FactoryParts parts;

    /** Takes the SDK's factory, and its parts where they can be read. */
    void setFactory(McpStreamableServerSession.Factory factory) {
        this.factory = factory;
        this.parts = FactoryParts.read(factory);
        if (this.parts == null) {
            logger.warn("The MCP session factory's parts could not be read; sessions restored on another instance "
                    + "get an id of their own inside the SDK");
        }
    }

    /** How long the SDK waits for a client's answer to a server request, where known. */
    Duration requestTimeout() {
        FactoryParts parts = this.parts;
        return (parts != null && parts.requestTimeout() != null) ? parts.requestTimeout() : Duration.ofMinutes(1);
    }

    /** Answers {@code initialize}: the server's capabilities and the negotiated version, without a session object. */
    McpSchema.InitializeResult initialize(McpSchema.InitializeRequest request) {
        FactoryParts parts = this.parts;
        Mono<McpSchema.InitializeResult> result = (parts != null) ? parts.init().handle(request)
                : requireFactory().startSession(request).initResult();
        return result.block();
    }

    /** The session object of a store session, built where this instance has none. */
    McpStreamableServerSession obtain(String sessionId, McpSchema.InitializeRequest initialize,
            McpSchema.@Nullable LoggingLevel level, BiConsumer<String, McpSchema.LoggingLevel> persistLevel,
            Supplier<McpStreamableServerTransport> listening) {
        Entry entry = this.objects.computeIfAbsent(sessionId,
                (id) -> new Entry(create(id, initialize, persistLevel, listening)));
        entry.lastUsed = System.nanoTime();
        if (level != null && entry.session instanceof DurableSession durable) {
            durable.restoreLevel(level);
        }
        return entry.session;
    }

    /** The session object if this instance has one. */
    @Nullable McpStreamableServerSession find(String sessionId) {
        Entry entry = this.objects.get(sessionId);
        return (entry != null) ? entry.session : null;
    }

    /** Forgets a session object (the session was deleted or expired): its streams close, its waiting requests fail. */
    void remove(String sessionId) {
        Entry entry = this.objects.remove(sessionId);
        if (entry != null) {
            entry.session.closeGracefully().onErrorComplete().subscribe();
        }
    }

    /**
     * Forgets objects unused for {@code idle} that run nothing here; they are restored from the store when needed.
     * Their SDK state lives on where the SDK keeps it by id (resource subscriptions), so nothing is closed.
     */
    void evictIdle(Duration idle, Function<String, Boolean> busy) {
        long horizon = System.nanoTime() - idle.toNanos();
        this.objects.entrySet().removeIf((entry) -> entry.getValue().lastUsed - horizon < 0 && !busy.apply(entry.getKey()));
    }

    int size() {
        return this.objects.size();
    }

    void closeAll() {
        this.objects.values().forEach((entry) -> entry.session.close());
        this.objects.clear();
    }

    private McpStreamableServerSession create(String id, McpSchema.InitializeRequest initialize,
            BiConsumer<String, McpSchema.LoggingLevel> persistLevel, Supplier<McpStreamableServerTransport> listening) {
        FactoryParts parts = this.parts;
        McpStreamableServerSession session = (parts != null)
                ? new DurableSession(id, initialize, parts, (level) -> persistLevel.accept(id, level))
                : requireFactory().startSession(initialize).session();
        // Session-level messages (list changes, server requests outside a call) go to the log of the GET stream,
        // wherever the client's GET connection is.
        session.listeningStream(listening.get());
        return session;
    }

    private McpStreamableServerSession.Factory requireFactory() {
        McpStreamableServerSession.Factory factory = this.factory;
        if (factory == null) {
            throw new IllegalStateException("No MCP server uses this transport yet (no session factory was set)");
        }
        return factory;
    }

    private static final class Entry {

        private final McpStreamableServerSession session;

        private volatile long lastUsed = System.nanoTime();

        Entry(McpStreamableServerSession session) {
            this.session = session;
        }

    }

    /** A session object under the store's id that records its client's logging level in the store. */
    private static final class DurableSession extends McpStreamableServerSession {

        private final Consumer<McpSchema.LoggingLevel> persistLevel;

        private volatile McpSchema.LoggingLevel level = McpSchema.LoggingLevel.INFO;

        DurableSession(String id, McpSchema.InitializeRequest initialize, FactoryParts parts,
                Consumer<McpSchema.LoggingLevel> persistLevel) {
            super(id, initialize.capabilities(), initialize.clientInfo(), parts.requestTimeout(), parts.requests(),
                    parts.notifications(), () -> parts.onClose().apply(id), parts.validator());
            this.persistLevel = persistLevel;
        }

        @Override
        public void setMinLoggingLevel(McpSchema.LoggingLevel minLoggingLevel) {
            restoreLevel(minLoggingLevel);
            this.persistLevel.accept(minLoggingLevel);
        }

        void restoreLevel(McpSchema.LoggingLevel level) {
            if (this.level != level) {
                this.level = level;
                super.setMinLoggingLevel(level);
            }
        }

    }

    /** What the SDK's default factory holds, read once. */
    private record FactoryParts(@Nullable Duration requestTimeout, McpStreamableServerSession.InitRequestHandler init,
            Map<String, McpRequestHandler<?>> requests, Map<String, McpNotificationHandler> notifications,
            Function<String, Mono<Void>> onClose, @Nullable JsonSchemaValidator validator) {

        @SuppressWarnings("unchecked")
        static @Nullable FactoryParts read(McpStreamableServerSession.Factory factory) {
            if (!(factory instanceof DefaultMcpStreamableServerSessionFactory)) {
                return null;
            }
            try {
                if (field(factory, "initRequestHandler") == null || field(factory, "requestHandlers") == null
                        || field(factory, "notificationHandlers") == null || field(factory, "onClose") == null) {
                    return null;
                }
                return new FactoryParts((Duration) field(factory, "requestTimeout"),
                        (McpStreamableServerSession.InitRequestHandler) field(factory, "initRequestHandler"),
                        (Map<String, McpRequestHandler<?>>) field(factory, "requestHandlers"),
                        (Map<String, McpNotificationHandler>) field(factory, "notificationHandlers"),
                        (Function<String, Mono<Void>>) field(factory, "onClose"),
                        (JsonSchemaValidator) field(factory, "jsonSchemaValidator"));
            }
            catch (ReflectiveOperationException | RuntimeException ex) {
                logger.debug("Could not read the MCP session factory's parts", ex);
                return null;
            }
        }

        private static @Nullable Object field(Object target, String name) throws ReflectiveOperationException {
            Field field = DefaultMcpStreamableServerSessionFactory.class.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(target);
        }

    }

}
