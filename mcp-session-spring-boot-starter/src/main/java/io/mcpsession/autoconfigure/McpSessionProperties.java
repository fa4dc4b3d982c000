package io.mcpsession.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import io.mcpsession.store.OverflowPolicy;
import io.mcpsession.store.StoreSettings;

/**
 * Configuration properties of mcp-session.
 */
@ConfigurationProperties("mcp.session")
public class McpSessionProperties {

    /**
     * Idle time after which a session expires.
     */
    private Duration timeout = Duration.ofMinutes(30);

    /**
     * Maximum number of sessions the store holds.
     */
    private int maxSessions = 100_000;

    private final Store store = new Store();

    private final Events events = new Events();

    private final Feed feed = new Feed();

    private final Sweep sweep = new Sweep();

    private final LongPoll longPoll = new LongPoll();

    private final Web web = new Web();

    private final Sse sse = new Sse();

    private final Mcp mcp = new Mcp();

    private final Security security = new Security();

    private final State state = new State();

    public Duration getTimeout() {
        return this.timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    public int getMaxSessions() {
        return this.maxSessions;
    }

    public void setMaxSessions(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    public Store getStore() {
        return this.store;
    }

    public Events getEvents() {
        return this.events;
    }

    public Feed getFeed() {
        return this.feed;
    }

    public Sweep getSweep() {
        return this.sweep;
    }

    public LongPoll getLongPoll() {
        return this.longPoll;
    }

    public Web getWeb() {
        return this.web;
    }

    public Sse getSse() {
        return this.sse;
    }

    public Mcp getMcp() {
        return this.mcp;
    }

    public Security getSecurity() {
        return this.security;
    }

    public State getState() {
        return this.state;
    }

    /** The limits and retention these properties describe. */
    public StoreSettings toStoreSettings() {
        return new StoreSettings(this.timeout, this.maxSessions, this.events.maxPerSession, this.events.ttl,
                this.events.overflow, this.events.maxEventBytes.toBytes(), this.feed.enabled, this.feed.maxEntries,
                this.feed.ttl, this.web.maxPageBytes.toBytes(), this.state.maxKeys);
    }

    public static class Store {

        /**
         * Store type: memory, jdbc, redis, nats or dynamodb. Detected when not set: jdbc where a DataSource
         * exists, else redis where a RedisConnectionFactory exists, else nats where a NATS Connection bean or
         * mcp.session.store.nats.url exists, else dynamodb where a DynamoDbClient bean exists, else memory.
         */
        private @Nullable StoreType type;

        private final Jdbc jdbc = new Jdbc();

        private final Redis redis = new Redis();

        private final Nats nats = new Nats();

        private final DynamoDb dynamodb = new DynamoDb();

        public @Nullable StoreType getType() {
            return this.type;
        }

        public void setType(@Nullable StoreType type) {
            this.type = type;
        }

        public Jdbc getJdbc() {
            return this.jdbc;
        }

        public Redis getRedis() {
            return this.redis;
        }

        public Nats getNats() {
            return this.nats;
        }

        public DynamoDb getDynamodb() {
            return this.dynamodb;
        }

    }

    public static class DynamoDb {

        /**
         * Endpoint of a local or DynamoDB-compatible server; not set, the region's AWS endpoint.
         */
        private @Nullable URI endpoint;

        /**
         * AWS region of the tables; not set, the AWS SDK's default region chain decides.
         */
        private @Nullable String region;

        /**
         * Prefix of the two table names (<prefix>sessions and <prefix>events).
         */
        private String tablePrefix = "mcp_";

        /**
         * Whether the store creates its tables (on-demand, with TTL) at start-up; otherwise it checks them and
         * fails start-up when they are missing. Not set: only for an endpoint on this machine.
         */
        private @Nullable Boolean createTables;

        /**
         * How often each instance reads the sessions its readers wait on (one batched read; none when nobody
         * waits) and numbers feed entries.
         */
        private Duration pollInterval = Duration.ofMillis(500);

        public @Nullable URI getEndpoint() {
            return this.endpoint;
        }

        public void setEndpoint(@Nullable URI endpoint) {
            this.endpoint = endpoint;
        }

        public @Nullable String getRegion() {
            return this.region;
        }

        public void setRegion(@Nullable String region) {
            this.region = region;
        }

        public String getTablePrefix() {
            return this.tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        public @Nullable Boolean getCreateTables() {
            return this.createTables;
        }

        public void setCreateTables(@Nullable Boolean createTables) {
            this.createTables = createTables;
        }

        public Duration getPollInterval() {
            return this.pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

    }

    public static class Nats {

        /**
         * URL of the NATS server (with JetStream) the store connects to, where the application has no Connection
         * bean of its own.
         */
        private String url = "nats://localhost:4222";

        /**
         * Prefix of every stream, key-value bucket and subject of the NATS store, so that several applications
         * share one NATS.
         */
        private String prefix = "MCP";

        /**
         * How long connecting may take at start-up.
         */
        private Duration timeout = Duration.ofSeconds(2);

        /**
         * How often each instance checks the logs and the feed its readers wait on, healing a lost wake-up, and
         * numbers feed entries not yet numbered.
         */
        private Duration positionCheckInterval = Duration.ofSeconds(1);

        public String getUrl() {
            return this.url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getPrefix() {
            return this.prefix;
        }

        public void setPrefix(String prefix) {
            this.prefix = prefix;
        }

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Duration getPositionCheckInterval() {
            return this.positionCheckInterval;
        }

        public void setPositionCheckInterval(Duration positionCheckInterval) {
            this.positionCheckInterval = positionCheckInterval;
        }

    }

    public static class Jdbc {

        /**
         * When to create the store's tables: embedded (only for an embedded database), always or never.
         */
        private SchemaInitialization initializeSchema = SchemaInitialization.EMBEDDED;

        /**
         * Prefix of every table name of the JDBC store.
         */
        private String tablePrefix = "MCP_";

        /**
         * How often an instance checks the database for changes made by other instances, to wake its readers. On
         * PostgreSQL with LISTEN/NOTIFY up, notifications wake readers and the check runs a tenth as often, to heal
         * lost notifications.
         */
        private Duration pollInterval = Duration.ofMillis(500);

        /**
         * Whether instances on PostgreSQL wake each other's readers with LISTEN/NOTIFY (one held connection per
         * instance). Turn it off behind a proxy that pools transactions, such as PgBouncer in transaction mode.
         */
        private boolean listenNotify = true;

        public Duration getPollInterval() {
            return this.pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public boolean isListenNotify() {
            return this.listenNotify;
        }

        public void setListenNotify(boolean listenNotify) {
            this.listenNotify = listenNotify;
        }

        public SchemaInitialization getInitializeSchema() {
            return this.initializeSchema;
        }

        public void setInitializeSchema(SchemaInitialization initializeSchema) {
            this.initializeSchema = initializeSchema;
        }

        public String getTablePrefix() {
            return this.tablePrefix;
        }

        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

    }

    /** When the JDBC store creates its tables, as Spring Session's {@code initialize-schema}. */
    public enum SchemaInitialization {

        /** Only for an embedded database. */
        EMBEDDED,

        /** Always. */
        ALWAYS,

        /** Never: the tables are managed elsewhere (for example by Flyway). */
        NEVER

    }

    public static class Redis {

        /**
         * Prefix of every key of the Redis store.
         */
        private String keyPrefix = "mcp:";

        /**
         * How often each instance compares the positions of the session logs and the feed its readers wait on
         * with what pub/sub wake-ups reported, and wakes the readers a lost wake-up left waiting.
         */
        private Duration positionCheckInterval = Duration.ofSeconds(2);

        public String getKeyPrefix() {
            return this.keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        public Duration getPositionCheckInterval() {
            return this.positionCheckInterval;
        }

        public void setPositionCheckInterval(Duration positionCheckInterval) {
            this.positionCheckInterval = positionCheckInterval;
        }

    }

    public static class Events {

        /**
         * Maximum number of events retained per session.
         */
        private int maxPerSession = 10_000;

        /**
         * How long an event is retained.
         */
        private Duration ttl = Duration.ofHours(2);

        /**
         * What an append does when a session's log is full: evict-oldest or reject.
         */
        private OverflowPolicy overflow = OverflowPolicy.EVICT_OLDEST;

        /**
         * Largest event (UTF-8 size of its data plus metadata) or state value.
         */
        private DataSize maxEventBytes = DataSize.ofMegabytes(1);

        public int getMaxPerSession() {
            return this.maxPerSession;
        }

        public void setMaxPerSession(int maxPerSession) {
            this.maxPerSession = maxPerSession;
        }

        public Duration getTtl() {
            return this.ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

        public OverflowPolicy getOverflow() {
            return this.overflow;
        }

        public void setOverflow(OverflowPolicy overflow) {
            this.overflow = overflow;
        }

        public DataSize getMaxEventBytes() {
            return this.maxEventBytes;
        }

        public void setMaxEventBytes(DataSize maxEventBytes) {
            this.maxEventBytes = maxEventBytes;
        }

    }

    public static class Feed {

        /**
         * Whether the global change feed is written and served.
         */
        private boolean enabled = true;

        /**
         * Maximum number of entries the feed retains.
         */
        private long maxEntries = 1_000_000;

        /**
         * How long a feed entry is retained.
         */
        private Duration ttl = Duration.ofHours(24);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public long getMaxEntries() {
            return this.maxEntries;
        }

        public void setMaxEntries(long maxEntries) {
            this.maxEntries = maxEntries;
        }

        public Duration getTtl() {
            return this.ttl;
        }

        public void setTtl(Duration ttl) {
            this.ttl = ttl;
        }

    }

    public static class Sweep {

        /**
         * Period of the expiry and retention sweeper.
         */
        private Duration interval = Duration.ofMinutes(1);

        public Duration getInterval() {
            return this.interval;
        }

        public void setInterval(Duration interval) {
            this.interval = interval;
        }

    }

    public static class LongPoll {

        /**
         * Upper bound of a long-poll's waitMs.
         */
        private Duration maxWait = Duration.ofSeconds(30);

        public Duration getMaxWait() {
            return this.maxWait;
        }

        public void setMaxWait(Duration maxWait) {
            this.maxWait = maxWait;
        }

        /**
         * Maximum number of long-polls waiting on this instance at once; beyond it a long-poll is refused with
         * 429 TOO_MANY_WAITERS.
         */
        private int maxWaiting = 10_000;

        public int getMaxWaiting() {
            return this.maxWaiting;
        }

        public void setMaxWaiting(int maxWaiting) {
            this.maxWaiting = maxWaiting;
        }

    }

    public static class Web {

        /**
         * Whether the HTTP API is served.
         */
        private boolean enabled = true;

        /**
         * Base path of the HTTP API.
         */
        private String basePath = "/mcp-sessions";

        /**
         * Origins besides the server's own that browsers may call the HTTP API from ('scheme://host:port', ':*'
         * for any port, '*' for any); a request with another Origin header gets 403. Requests without Origin are
         * always served.
         */
        private List<String> allowedOrigins = new ArrayList<>();

        private final Console console = new Console();

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getBasePath() {
            return this.basePath;
        }

        public void setBasePath(String basePath) {
            this.basePath = basePath;
        }

        /**
         * Byte budget of one page of events, feed entries, sessions or state: a page stops before the item that
         * would pass it (its first item always goes) and says where to continue.
         */
        private DataSize maxPageBytes = DataSize.ofMegabytes(4);

        /**
         * Maximum number of sessions one principal (or, for anonymous callers, one remote address) may create
         * per minute on this instance, beyond which creation is refused with 429 TOO_MANY_SESSIONS_CREATED; 0
         * for no limit.
         */
        private int maxCreatesPerMinute = 0;

        public DataSize getMaxPageBytes() {
            return this.maxPageBytes;
        }

        public void setMaxPageBytes(DataSize maxPageBytes) {
            this.maxPageBytes = maxPageBytes;
        }

        public int getMaxCreatesPerMinute() {
            return this.maxCreatesPerMinute;
        }

        public void setMaxCreatesPerMinute(int maxCreatesPerMinute) {
            this.maxCreatesPerMinute = maxCreatesPerMinute;
        }

        public List<String> getAllowedOrigins() {
            return this.allowedOrigins;
        }

        public void setAllowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
        }

        public Console getConsole() {
            return this.console;
        }

        /** The session console, a web page of sessions, their logs and the feed at '{base-path}/console'. */
        public static class Console {

            /**
             * Whether the console page is served at '{base-path}/console'. It reads the HTTP API as its visitor,
             * so it shows what that principal may see: protect it as the API.
             */
            private boolean enabled;

            public boolean isEnabled() {
                return this.enabled;
            }

            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }

        }

    }

    public static class Sse {

        /**
         * Period of the ': keepalive' comment on open streams.
         */
        private Duration keepalive = Duration.ofSeconds(15);

        /**
         * Reconnection time sent to clients in the 'retry:' field.
         */
        private Duration retry = Duration.ofSeconds(3);

        public Duration getKeepalive() {
            return this.keepalive;
        }

        public void setKeepalive(Duration keepalive) {
            this.keepalive = keepalive;
        }

        public Duration getRetry() {
            return this.retry;
        }

        public void setRetry(Duration retry) {
            this.retry = retry;
        }

        /**
         * Maximum number of SSE streams open at once on one session on this instance; beyond it a stream is
         * refused with 429 TOO_MANY_STREAMS.
         */
        private int maxStreamsPerSession = 32;

        public int getMaxStreamsPerSession() {
            return this.maxStreamsPerSession;
        }

        public void setMaxStreamsPerSession(int maxStreamsPerSession) {
            this.maxStreamsPerSession = maxStreamsPerSession;
        }

        /**
         * Maximum number of SSE streams open at once on this instance, of every session and of the feed; beyond it
         * a stream is refused with 429 TOO_MANY_STREAMS. An idle stream holds no thread, only its connection.
         */
        private int maxStreams = 1000;

        /**
         * How long a client may take no bytes of its stream before the stream is ended (its client resumes from
         * its last event id when it reads again). No thread waits for such a client meanwhile.
         */
        private Duration writeTimeout = Duration.ofSeconds(30);

        /**
         * Threads that read the store for streams and long-polls and hand what they read to the servlet
         * container, which writes it without blocking them. Ignored when 'spring.threads.virtual.enabled' is
         * set on Java 21 or later: a virtual thread then does each task.
         */
        private int threads = 16;

        public int getMaxStreams() {
            return this.maxStreams;
        }

        public void setMaxStreams(int maxStreams) {
            this.maxStreams = maxStreams;
        }

        public Duration getWriteTimeout() {
            return this.writeTimeout;
        }

        public void setWriteTimeout(Duration writeTimeout) {
            this.writeTimeout = writeTimeout;
        }

        public int getThreads() {
            return this.threads;
        }

        public void setThreads(int threads) {
            this.threads = threads;
        }

    }

    public static class State {

        /**
         * Maximum number of state keys of one session; writing a new key beyond it fails with 409
         * MAX_STATE_KEYS_REACHED.
         */
        private int maxKeys = 1000;

        public int getMaxKeys() {
            return this.maxKeys;
        }

        public void setMaxKeys(int maxKeys) {
            this.maxKeys = maxKeys;
        }

    }

    public static class Mcp {

        /**
         * Whether the durable MCP Streamable HTTP transport is configured (where the MCP Java SDK is present).
         */
        private boolean enabled = true;

        /**
         * Path of the MCP endpoint. Where Spring AI's MCP server starter is present, its
         * 'spring.ai.mcp.server.streamable-http.mcp-endpoint' wins.
         */
        private String endpoint = "/mcp";

        /**
         * How long an instance's claim on the requests it runs lasts without renewal: a resumed stream whose
         * instance died ends with an error about this long after the death.
         */
        private Duration ownerLease = Duration.ofSeconds(15);

        /**
         * Origins that may call the endpoint from a browser ('scheme://host:port', ':*' for any port); a request
         * with another Origin header gets 403 (DNS rebinding). Localhost on any port is always allowed.
         */
        private List<String> allowedOrigins = new ArrayList<>();

        /**
         * Host header values the endpoint answers ('host:port', ':*' for any port); empty for any.
         */
        private List<String> allowedHosts = new ArrayList<>();

        /**
         * Largest request body.
         */
        private DataSize maxRequestSize = DataSize.ofMegabytes(4);

        /**
         * Where a 2026-07-28 server keeps the state of multi-round requests: 'hmac' seals it into the token the
         * client sends back, 'store' keeps it in the session store under a handle bound to the caller's principal
         * (small tokens, revocable, expiring with the session timeout).
         */
        private RequestState requestState = RequestState.HMAC;

        /**
         * Key (at least 32 characters) of the 'hmac' request state, the same on every instance. Without it, the
         * instance generates one of its own, which only a single instance can use: start-up fails then unless the
         * store is 'memory'.
         */
        private @Nullable String requestStateKey;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getEndpoint() {
            return this.endpoint;
        }

        public void setEndpoint(String endpoint) {
            this.endpoint = endpoint;
        }

        public Duration getOwnerLease() {
            return this.ownerLease;
        }

        public void setOwnerLease(Duration ownerLease) {
            this.ownerLease = ownerLease;
        }

        public List<String> getAllowedOrigins() {
            return this.allowedOrigins;
        }

        public void setAllowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
        }

        public List<String> getAllowedHosts() {
            return this.allowedHosts;
        }

        public void setAllowedHosts(List<String> allowedHosts) {
            this.allowedHosts = allowedHosts;
        }

        public DataSize getMaxRequestSize() {
            return this.maxRequestSize;
        }

        public void setMaxRequestSize(DataSize maxRequestSize) {
            this.maxRequestSize = maxRequestSize;
        }

        public RequestState getRequestState() {
            return this.requestState;
        }

        public void setRequestState(RequestState requestState) {
            this.requestState = requestState;
        }

        public @Nullable String getRequestStateKey() {
            return this.requestStateKey;
        }

        public void setRequestStateKey(@Nullable String requestStateKey) {
            this.requestStateKey = requestStateKey;
        }

        /** Where a 2026-07-28 server keeps the state of multi-round requests. */
        public enum RequestState {

            /** Sealed into the client's token with an HMAC key. */
            HMAC,

            /** In the session store, under a handle. */
            STORE

        }

    }

    public static class Security {

        /**
         * Authority (for example SCOPE_mcp-admin) whose holders see and manage every principal's sessions and feed
         * entries, for operators. None by default: every caller sees only its own principal's sessions.
         */
        private @Nullable String adminAuthority;

        public @Nullable String getAdminAuthority() {
            return this.adminAuthority;
        }

        public void setAdminAuthority(@Nullable String adminAuthority) {
            this.adminAuthority = adminAuthority;
        }

    }

}
