package io.mcpsession.jdbc;

import java.lang.System.Logger.Level;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.ClassUtils;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.Epochs;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.Limits;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.PageBudget;
import io.mcpsession.core.ReadPlan;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionIds;
import io.mcpsession.core.SessionPage;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.core.StatePage;
import io.mcpsession.core.Timestamps;
import io.mcpsession.core.Uuid7;
import io.mcpsession.jdbc.JdbcFeed.Change;
import io.mcpsession.store.FeedListener;
import io.mcpsession.store.ListenerRegistry;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.Subscription;
import io.mcpsession.store.SweepResult;

/**
 * A {@link SessionStore} in a relational database, shared by every instance that uses the same tables.
 * <p>
 * Each session's row holds its log's counter: an append locks the row, takes the next seq and inserts the event
 * in one transaction, so commit order is seq order and a duplicate never consumes a seq. Appends to one session
 * from this instance queue in process instead of fighting over the row lock, and the batches queued together
 * share one transaction ({@link CombinedAppends}). Times are epoch milliseconds from the store's clock, exact on
 * every database.
 */
public class JdbcSessionStore implements SessionStore {

    private static final System.Logger logger = System.getLogger(JdbcSessionStore.class.getName());

    private static final String PG_CONNECTION = "org.postgresql.PGConnection";

    private static final int SWEEP_BATCH = 100;

    private static final String CREATES = "creates";

    private static final String INSERT_SESSION = """
            INSERT INTO %TABLE_PREFIX%SESSIONS (ID, CREATED_AT, LAST_ACTIVITY, EXPIRES_AT, INITIALIZED,
                CLIENT_CAPABILITIES, SERVER_CAPABILITIES, PROTOCOL_VERSION, METADATA, PRINCIPAL, EPOCH, LAST_SEQ,
                EARLIEST_RETAINED)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1)
            """;

    private static final String SELECT_SESSION = """
            SELECT %COLUMNS% FROM %TABLE_PREFIX%SESSIONS WHERE ID = ?
            """;

    private static final String LOCK_SESSION = """
            SELECT %COLUMNS% FROM %TABLE_PREFIX%SESSIONS WHERE ID = ?%FOR_UPDATE%
            """;

    private static final String COUNT_LIVE_SESSIONS = """
            SELECT COUNT(*) FROM %TABLE_PREFIX%SESSIONS WHERE EXPIRES_AT >= ?
            """;

    private static final String TOUCH_SESSION = """
            UPDATE %TABLE_PREFIX%SESSIONS SET LAST_ACTIVITY = ?, EXPIRES_AT = ? WHERE ID = ? AND EXPIRES_AT >= ?
            """;

    private static final String UPDATE_SESSION = """
            UPDATE %TABLE_PREFIX%SESSIONS SET INITIALIZED = ?, CLIENT_CAPABILITIES = ?, SERVER_CAPABILITIES = ?,
                PROTOCOL_VERSION = ?, METADATA = ?, LAST_ACTIVITY = ?, EXPIRES_AT = ?
            WHERE ID = ?
            """;

    private static final String ADVANCE_LOG = """
            UPDATE %TABLE_PREFIX%SESSIONS SET LAST_SEQ = ?, LAST_ACTIVITY = ?, EXPIRES_AT = ? WHERE ID = ?
            """;

    private static final String RETAIN_FROM = """
            UPDATE %TABLE_PREFIX%SESSIONS SET EARLIEST_RETAINED = ? WHERE ID = ?
            """;

    private static final String LIST_SESSIONS = """
            SELECT %COLUMNS% FROM %TABLE_PREFIX%SESSIONS
            WHERE EXPIRES_AT >= ?%OWNER% AND (CREATED_AT > ? OR (CREATED_AT = ? AND ID > ?))
            ORDER BY CREATED_AT, ID LIMIT ?
            """;

    /** The sizes of the sessions {@link #LIST_SESSIONS} would return, for the page budget. */
    private static final String LIST_SESSION_BYTES = LIST_SESSIONS.replace("%COLUMNS%", "%SESSION_BYTES%");

    private static final String DELETE_SESSION = """
            DELETE FROM %TABLE_PREFIX%SESSIONS WHERE ID = ?
            """;

    private static final String DELETE_REMOVED = """
            DELETE FROM %TABLE_PREFIX%REMOVED_SESSIONS WHERE ID = ?
            """;

    private static final String INSERT_REMOVED = """
            INSERT INTO %TABLE_PREFIX%REMOVED_SESSIONS (ID, CREATED_AT, PRINCIPAL, REASON, REMOVED_AT)
            VALUES (?, ?, ?, ?, ?)
            """;

    private static final String SELECT_REMOVED = """
            SELECT CREATED_AT, PRINCIPAL FROM %TABLE_PREFIX%REMOVED_SESSIONS WHERE ID = ?
            """;

    private static final String FORGET_REMOVED = """
            DELETE FROM %TABLE_PREFIX%REMOVED_SESSIONS WHERE REMOVED_AT < ?
            """;

    private static final String EXPIRED_SESSIONS = """
            SELECT ID FROM %TABLE_PREFIX%SESSIONS WHERE EXPIRES_AT < ? ORDER BY EXPIRES_AT LIMIT ?
            """;

    private static final String OVERFULL_SESSIONS = """
            SELECT ID FROM %TABLE_PREFIX%SESSIONS WHERE LAST_SEQ - EARLIEST_RETAINED + 1 > ? LIMIT ?
            """;

    private static final String SESSIONS_WITH_OLD_EVENTS = """
            SELECT SESSION_ID, MAX(SEQ) FROM %TABLE_PREFIX%EVENTS WHERE CREATED_AT < ? GROUP BY SESSION_ID
            """;

    private static final String STATE_OF_LIVE_SESSION = """
            SELECT s.ID, st.STATE_KEY, st.STATE_VALUE FROM %TABLE_PREFIX%SESSIONS s
            LEFT JOIN %TABLE_PREFIX%SESSION_STATE st ON st.SESSION_ID = s.ID%KEY%
            WHERE s.ID = ? AND s.EXPIRES_AT >= ?
            """;

    private static final String DELETE_STATE_KEY = """
            DELETE FROM %TABLE_PREFIX%SESSION_STATE WHERE SESSION_ID = ? AND STATE_KEY = ?
            """;

    private static final String DELETE_STATE = """
            DELETE FROM %TABLE_PREFIX%SESSION_STATE WHERE SESSION_ID = ?
            """;

    /** An event's timestamp is its producer's; events written before schema version 3 have only when appended. */
    private static final String EVENT_COLUMNS = "SEQ, EVENT_ID, EVENT_TYPE, DATA, RUN_ID, METADATA, "
            + "COALESCE(EVENT_TIME, CREATED_AT)";

    private static final String INSERT_EVENT = """
            INSERT INTO %TABLE_PREFIX%EVENTS (SESSION_ID, SEQ, EVENT_ID, EVENT_TYPE, DATA, RUN_ID, METADATA, CREATED_AT,
            EVENT_TIME) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    private static final String EVENTS_BY_ID = """
            SELECT %EVENT_COLUMNS% FROM %TABLE_PREFIX%EVENTS WHERE SESSION_ID = ? AND EVENT_ID IN (%IDS%)
            """;

    private static final String READ_EVENTS = """
            SELECT %EVENT_COLUMNS% FROM %TABLE_PREFIX%EVENTS
            WHERE SESSION_ID = ? AND SEQ > ? AND SEQ <= ?%FILTERS% ORDER BY SEQ LIMIT ?
            """;

    /** The sizes of the events {@link #READ_EVENTS} would return, for the page budget. */
    private static final String READ_EVENT_BYTES = READ_EVENTS.replace("%EVENT_COLUMNS%", "%EVENT_BYTES%");

    private static final String STATE_PAGE = """
            SELECT STATE_KEY, STATE_VALUE FROM %TABLE_PREFIX%SESSION_STATE
            WHERE SESSION_ID = ? AND STATE_KEY > ? ORDER BY STATE_KEY LIMIT ?
            """;

    /** The sizes of the values {@link #STATE_PAGE} would return, for the page budget. */
    private static final String STATE_PAGE_BYTES = STATE_PAGE.replace("STATE_KEY, STATE_VALUE", "%STATE_BYTES%");

    private static final String COUNT_STATE_KEYS = """
            SELECT COUNT(*), SUM(CASE WHEN STATE_KEY = ? THEN 1 ELSE 0 END) FROM %TABLE_PREFIX%SESSION_STATE
            WHERE SESSION_ID = ?
            """;

    private static final String DELETE_EVENTS_BEFORE = """
            DELETE FROM %TABLE_PREFIX%EVENTS WHERE SESSION_ID = ? AND SEQ < ?
            """;

    private static final String DELETE_EVENTS = """
            DELETE FROM %TABLE_PREFIX%EVENTS WHERE SESSION_ID = ?
            """;

    private final StoreSettings settings;

    private final Clock clock;

    private final JdbcPlatform platform;

    private final String tablePrefix;

    private final String description;

    private final JdbcClient jdbc;

    private final JdbcTemplate operations;

    private final JdbcTransactions transactions;

    private final StoreRows storeRows;

    private final JdbcFeed feed;

    private final ListenerRegistry listeners = new ListenerRegistry();

    private final Map<String, String> statements = new ConcurrentHashMap<>();

    private final JdbcWakeUps wakeUps;

    /** Appends to one session from this instance take turns here rather than at the row lock. */
    private final CombinedAppends appends = new CombinedAppends(this::write);

    /**
     * A store that, on PostgreSQL, wakes the readers of other instances with LISTEN/NOTIFY.
     * @param dataSource the database
     * @param settings the limits and retention to enforce
     * @param clock the clock of every timestamp and expiry
     * @param tablePrefix the prefix of the store's tables
     * @param pollInterval how often readers of this instance check the database for changes made elsewhere
     */
    public JdbcSessionStore(DataSource dataSource, StoreSettings settings, Clock clock, String tablePrefix,
            Duration pollInterval) {
        this(dataSource, settings, clock, tablePrefix, pollInterval, true);
    }

    /**
     * @param dataSource the database
     * @param settings the limits and retention to enforce
     * @param clock the clock of every timestamp and expiry
     * @param tablePrefix the prefix of the store's tables
     * @param pollInterval how often readers of this instance check the database for changes made elsewhere (on
     * PostgreSQL with LISTEN/NOTIFY up, a tenth as often: notifications wake readers, the check heals lost ones)
     * @param listenNotify whether instances on PostgreSQL announce their changes with NOTIFY and hold one
     * LISTEN connection each (ignored on other databases; turn it off behind a proxy that pools transactions,
     * such as PgBouncer in transaction mode)
     */
    public JdbcSessionStore(DataSource dataSource, StoreSettings settings, Clock clock, String tablePrefix,
            Duration pollInterval, boolean listenNotify) {
        this.settings = settings;
        this.clock = clock;
        this.platform = JdbcPlatform.of(dataSource);
        this.tablePrefix = tablePrefix;
        this.description = "jdbc (" + this.platform.id() + ", tables " + tablePrefix + "*)";
        this.operations = new JdbcTemplate(dataSource);
        this.jdbc = JdbcClient.create(this.operations);
        this.transactions = new JdbcTransactions(dataSource, this.platform);
        this.storeRows = new StoreRows(this.jdbc, this.transactions, tablePrefix, this.platform.forUpdate());
        JdbcSchema.verify(this.jdbc, this.platform, tablePrefix);
        JdbcDurability.warnIfDelayed(dataSource, this.jdbc, this.platform);
        this.storeRows.createIfAbsent(JdbcFeed.EPOCH, Epochs::next);
        this.storeRows.createIfAbsent(JdbcFeed.LATEST, () -> "0");
        this.storeRows.createIfAbsent(JdbcSweepLease.NAME, () -> "");
        this.storeRows.createIfAbsent(CREATES, () -> "");
        this.feed = new JdbcFeed(this.jdbc, this.operations, this.storeRows, this.transactions, this.platform,
                tablePrefix, settings.feedEnabled(), settings.maxPageBytes());
        this.wakeUps = new JdbcWakeUps(this.jdbc, this.listeners, this.feed, tablePrefix, clock, pollInterval,
                notifications(dataSource, this.platform, tablePrefix, listenNotify));
    }

    private static JdbcNotifications notifications(DataSource dataSource, JdbcPlatform platform, String tablePrefix,
            boolean listenNotify) {
        if (!listenNotify || platform != JdbcPlatform.POSTGRESQL) {
            return JdbcNotifications.NONE;
        }
        if (!ClassUtils.isPresent(PG_CONNECTION, JdbcSessionStore.class.getClassLoader())) {
            logger.log(Level.WARNING, "PostgreSQL LISTEN/NOTIFY needs the org.postgresql driver; readers of other "
                    + "instances' changes wake by the position check alone");
            return JdbcNotifications.NONE;
        }
        return new PostgresNotifications(dataSource, tablePrefix);
    }

    @Override
    public String type() {
        return "jdbc";
    }

    @Override
    public String describe() {
        return this.description;
    }

    /**
     * Whether other instances' changes reach this one by notification now (PostgreSQL LISTEN); otherwise readers
     * wake by the position check every poll interval.
     */
    public boolean listening() {
        return this.wakeUps.listening();
    }

    /** The database this store runs on. */
    public JdbcPlatform platform() {
        return this.platform;
    }

    // Sessions

    @Override
    public Session create(NewSession request) {
        NewSession checked = this.settings.checkSession(request.checked());
        Instant now = now();
        String id = (checked.id() != null) ? checked.id() : SessionIds.generate(now);
        Session session = checked.toSession(id, now, this.settings.timeout());
        List<String> expired = new ArrayList<>(1);
        Session created;
        try {
            created = this.storeRows.restoring(() -> this.transactions.write(() -> {
            // Creates take turns (they are rare next to appends) so that racing ones cannot pass max-sessions.
            this.storeRows.lock(CREATES);
            long live = this.jdbc.sql(sql(COUNT_LIVE_SESSIONS)).param(now.toEpochMilli()).query(Long.class).single();
            if (live >= this.settings.maxSessions()) {
                throw new McpSessionException(ErrorCode.MAX_SESSIONS_REACHED,
                        "The store holds its maximum of " + this.settings.maxSessions() + " sessions");
            }
            SessionRow existing = lockSession(id);
            if (existing != null && !existing.isExpired(now)) {
                throw new McpSessionException(ErrorCode.SESSION_EXISTS, "Session '" + id + "' already exists");
            }
            if (existing != null) {
                remove(existing, CloseReason.EXPIRED, now);
                expired.add(id);
            }
            insertSession(session);
            this.feed.record(List.of(Change.of(FeedEntryType.SESSION_CREATED, session, now)));
            return session;
            }));
        }
        catch (DuplicateKeyException ex) {
            // Another instance created the same id between our check and our insert.
            throw new McpSessionException(ErrorCode.SESSION_EXISTS, "Session '" + id + "' already exists");
        }
        expired.forEach((sessionId) -> this.wakeUps.removed(sessionId, CloseReason.EXPIRED));
        this.wakeUps.feedChanged();
        return created;
    }

    @Override
    public Optional<Session> find(String sessionId) {
        Instant now = now();
        return JdbcFailures.run(() -> this.jdbc.sql(sql(SELECT_SESSION))
            .param(sessionId)
            .query(SessionRow::map)
            .optional()
            .filter((row) -> !row.isExpired(now))
            .map(SessionRow::session));
    }

    @Override
    public Session update(String sessionId, SessionPatch patch) {
        Instant now = now();
        Session updated = this.transactions.write(() -> {
            SessionRow row = requireLive(lockSession(sessionId), sessionId, now);
            Session session = this.settings.checkSession(patch.applyTo(row.session()))
                .withActivity(now, now.plus(this.settings.timeout()));
            this.jdbc.sql(sql(UPDATE_SESSION))
                .params(session.initialized(), session.clientCapabilities(), session.serverCapabilities(),
                        session.protocolVersion(), session.metadata(), now.toEpochMilli(),
                        session.expiresAt().toEpochMilli(), sessionId)
                .update();
            this.feed.record(List.of(Change.of(FeedEntryType.SESSION_UPDATED, session, now)));
            return session;
        });
        this.wakeUps.feedChanged();
        return updated;
    }

    @Override
    public boolean delete(String sessionId) {
        Instant now = now();
        CloseReason reason = this.transactions.write(() -> {
            SessionRow row = lockSession(sessionId);
            if (row == null) {
                return null;
            }
            CloseReason why = row.isExpired(now) ? CloseReason.EXPIRED : CloseReason.DELETED;
            remove(row, why, now);
            return why;
        });
        if (reason == null) {
            return false;
        }
        this.wakeUps.removed(sessionId, reason);
        this.wakeUps.feedChanged();
        return reason == CloseReason.DELETED;
    }

    @Override
    public SessionPage list(@Nullable String after, int limit) {
        return list(after, limit, false, null);
    }

    @Override
    public SessionPage list(@Nullable String after, int limit, @Nullable String principal) {
        return list(after, limit, true, principal);
    }

    private SessionPage list(@Nullable String after, int limit, boolean ownedOnly, @Nullable String principal) {
        Limits.requireReadLimit(limit);
        Instant now = now();
        return JdbcFailures.run(() -> {
            long createdAt = (after != null) ? placeCursor(after, ownedOnly, principal) : Long.MIN_VALUE;
            String owner = !ownedOnly ? "" : (principal != null) ? " AND PRINCIPAL = ?" : " AND PRINCIPAL IS NULL";
            List<Object> params = new ArrayList<>();
            params.add(now.toEpochMilli());
            if (ownedOnly && principal != null) {
                params.add(principal);
            }
            params.addAll(List.of(createdAt, createdAt, (after != null) ? after : "", limit + 1));
            // The sizes first, so that a page of large sessions never comes into memory whole.
            List<Long> sizes = this.jdbc.sql(sql(LIST_SESSION_BYTES).replace("%OWNER%", owner)).params(params)
                .query(Long.class)
                .list();
            PageBudget budget = this.settings.pageBudget().takeAll(sizes.subList(0, Math.min(limit, sizes.size())));
            if (budget.cut()) {
                params.set(params.size() - 1, budget.taken());
            }
            List<Session> sessions = new ArrayList<>(this.jdbc.sql(sql(LIST_SESSIONS).replace("%OWNER%", owner))
                .params(params)
                .query(SessionRow::map)
                .list()
                .stream()
                .map(SessionRow::session)
                .toList());
            if (budget.cut()) {
                return new SessionPage(sessions, sessions.get(sessions.size() - 1).id());
            }
            boolean more = sessions.size() > limit;
            if (more) {
                sessions.remove(limit);
            }
            return new SessionPage(sessions, more ? sessions.get(limit - 1).id() : null);
        });
    }

    /** Where a list cursor stands: a session of a visible owner, live or recently removed, or a UUIDv7's time. */
    private long placeCursor(String sessionId, boolean ownedOnly, @Nullable String principal) {
        Optional<Session> live = this.jdbc.sql(sql(SELECT_SESSION)).param(sessionId).query(SessionRow::map)
            .optional().map(SessionRow::session);
        if (live.isPresent() && (!ownedOnly || Objects.equals(live.get().principal(), principal))) {
            return live.get().createdAt().toEpochMilli();
        }
        Optional<Long> removed = this.jdbc.sql(sql(SELECT_REMOVED))
            .param(sessionId)
            .query((rs, row) -> (!ownedOnly || Objects.equals(rs.getString(2), principal))
                    ? rs.getLong(1) : null)
            .optional();
        if (removed.isPresent()) {
            return removed.get();
        }
        return SessionIds.timestampOf(sessionId)
            .map(Instant::toEpochMilli)
            .orElseThrow(() -> new McpSessionException(ErrorCode.INVALID_CURSOR,
                    "Invalid cursor: no session '" + sessionId + "' to continue after"));
    }

    @Override
    public long countSessions() {
        Instant now = now();
        return JdbcFailures.run(() -> this.jdbc.sql(sql(COUNT_LIVE_SESSIONS))
            .param(now.toEpochMilli())
            .query(Long.class)
            .single());
    }

    @Override
    public Session touch(String sessionId) {
        Instant now = now();
        return this.transactions.write(() -> {
            touchLive(sessionId, now);
            return this.jdbc.sql(sql(SELECT_SESSION)).param(sessionId).query(SessionRow::map).single().session();
        });
    }

    // State

    @Override
    public Optional<String> getState(String sessionId, String key) {
        Limits.requireName("key", key);
        return Optional.ofNullable(stateOf(sessionId, key).get(key));
    }

    @Override
    public Map<String, String> getAllState(String sessionId) {
        return stateOf(sessionId, null);
    }

    @Override
    public StatePage readState(String sessionId, @Nullable String after, int limit) {
        Limits.requireReadLimit(limit);
        Instant now = now();
        return this.transactions.read(() -> {
            requireLive(this.jdbc.sql(sql(SELECT_SESSION)).param(sessionId).query(SessionRow::map).optional()
                .orElse(null), sessionId, now);
            List<Object> params = new ArrayList<>(List.of(sessionId, (after != null) ? after : "", limit + 1));
            List<Long> sizes = this.jdbc.sql(sql(STATE_PAGE_BYTES)).params(params).query(Long.class).list();
            PageBudget budget = this.settings.pageBudget().takeAll(sizes.subList(0, Math.min(limit, sizes.size())));
            params.set(2, budget.taken());
            Map<String, String> values = new LinkedHashMap<>();
            if (budget.taken() > 0) {
                this.jdbc.sql(sql(STATE_PAGE)).params(params)
                    .query((RowCallbackHandler) (rs) -> values.put(rs.getString(1), rs.getString(2)));
            }
            boolean more = budget.cut() || sizes.size() > limit;
            String last = values.isEmpty() ? null : List.copyOf(values.keySet()).get(values.size() - 1);
            return new StatePage(values, more ? last : null);
        });
    }

    private Map<String, String> stateOf(String sessionId, @Nullable String key) {
        Instant now = now();
        List<Object> params = new ArrayList<>();
        if (key != null) {
            params.add(key);
        }
        params.addAll(List.of(sessionId, now.toEpochMilli()));
        List<String[]> rows = JdbcFailures.run(() -> this.jdbc
            .sql(sql(STATE_OF_LIVE_SESSION).replace("%KEY%", (key != null) ? " AND st.STATE_KEY = ?" : ""))
            .params(params)
            .query((rs, row) -> new String[] { rs.getString(2), rs.getString(3) })
            .list());
        if (rows.isEmpty()) {
            throw McpSessionException.sessionNotFound(sessionId);
        }
        Map<String, String> state = new LinkedHashMap<>();
        for (String[] row : rows) {
            if (row[0] != null) {
                state.put(row[0], row[1]);
            }
        }
        return state;
    }

    @Override
    public void putState(String sessionId, String key, String jsonValue) {
        String value = this.settings.checkState(key, jsonValue);
        Instant now = now();
        this.transactions.write(() -> {
            // The touch locks the session's row, so writers of new keys count one at a time.
            touchLive(sessionId, now);
            long[] keys = this.jdbc.sql(sql(COUNT_STATE_KEYS)).params(key, sessionId)
                .query((rs, rowNum) -> new long[] { rs.getLong(1), rs.getLong(2) })
                .single();
            if (keys[1] == 0) {
                this.settings.requireStateRoom(sessionId, keys[0]);
            }
            return this.jdbc.sql(sql(this.platform.upsertState())).params(sessionId, key, value).update();
        });
    }

    @Override
    public boolean removeState(String sessionId, String key) {
        Limits.requireName("key", key);
        Instant now = now();
        return this.transactions.write(() -> {
            touchLive(sessionId, now);
            return this.jdbc.sql(sql(DELETE_STATE_KEY)).params(sessionId, key).update() > 0;
        });
    }

    // Events

    @Override
    public AppendResult append(String sessionId, NewEvent event) {
        return appendAll(sessionId, List.of(event)).get(0);
    }

    @Override
    public List<AppendResult> appendAll(String sessionId, List<NewEvent> events) {
        return this.appends.append(sessionId, checkBatch(events));
    }

    /** Writes checked events in one transaction, then wakes their readers. */
    private List<AppendResult> write(String sessionId, List<NewEvent> events) {
        Instant now = now();
        List<EventRecord> appended = new ArrayList<>(events.size());
        List<AppendResult> results = this.transactions.write(() -> {
            appended.clear();
            return appendInTransaction(sessionId, events, now, appended);
        });
        if (!appended.isEmpty()) {
            this.wakeUps.appended(sessionId, List.copyOf(appended));
            this.wakeUps.feedChanged();
        }
        return results;
    }

    private List<AppendResult> appendInTransaction(String sessionId, List<NewEvent> events, Instant now,
            List<EventRecord> appended) {
        SessionRow row = requireLive(lockSession(sessionId), sessionId, now);
        Map<String, EventRecord> stored = storedEvents(sessionId, row.epoch(), events);
        this.settings.checkRoom(sessionId, row.retained(), events, stored::containsKey);
        List<AppendResult> results = new ArrayList<>(events.size());
        long seq = row.lastSeq();
        for (NewEvent event : events) {
            EventRecord original = (event.id() != null) ? stored.get(event.id()) : null;
            if (original != null) {
                results.add(new AppendResult(original, true));
                continue;
            }
            EventRecord record = new EventRecord(sessionId, ++seq, (event.id() != null) ? event.id() : Uuid7.fast(now),
                    event.typeOrDefault(), event.data(), event.runId(), event.metadataOrEmpty(), event.timestampOr(now),
                    row.epoch());
            stored.put(record.id(), record);
            appended.add(record);
            results.add(new AppendResult(record, false));
        }
        this.operations.batchUpdate(sql(INSERT_EVENT), appended, appended.size(), (statement, event) -> {
            statement.setString(1, sessionId);
            statement.setLong(2, event.seq());
            statement.setString(3, event.id());
            statement.setString(4, event.type());
            statement.setString(5, event.data());
            statement.setString(6, event.runId());
            statement.setString(7, event.metadata());
            // CREATED_AT is when the store appended it (the TTL counts from there), EVENT_TIME the event's own.
            statement.setLong(8, now.toEpochMilli());
            statement.setLong(9, event.timestamp().toEpochMilli());
        });
        this.feed.record(appended.stream().map((event) -> Change.of(event, now, row.session().principal())).toList());
        this.jdbc.sql(sql(ADVANCE_LOG))
            .params(seq, now.toEpochMilli(), now.plus(this.settings.timeout()).toEpochMilli(), sessionId)
            .update();
        return results;
    }

    /** The stored events whose ids the batch names, by id. */
    private Map<String, EventRecord> storedEvents(String sessionId, String epoch, List<NewEvent> events) {
        List<String> ids = events.stream().map(NewEvent::id).filter(Objects::nonNull).distinct().toList();
        Map<String, EventRecord> stored = new HashMap<>();
        if (ids.isEmpty()) {
            return stored;
        }
        List<Object> params = new ArrayList<>(ids.size() + 1);
        params.add(sessionId);
        params.addAll(ids);
        this.jdbc.sql(sql(EVENTS_BY_ID).replace("%IDS%", ids.stream().map((id) -> "?").collect(Collectors.joining(", "))))
            .params(params)
            .query((rs, row) -> event(sessionId, epoch, rs))
            .list()
            .forEach((event) -> stored.put(event.id(), event));
        return stored;
    }

    @Override
    public EphemeralEvent publishEphemeral(String sessionId, NewEvent event) {
        NewEvent checked = this.settings.checkEvent(event);
        Instant now = now();
        this.transactions.write(() -> {
            touchLive(sessionId, now);
            return null;
        });
        EphemeralEvent ephemeral = new EphemeralEvent(sessionId, (checked.id() != null) ? checked.id() : Uuid7.fast(now),
                checked.typeOrDefault(), checked.data(), checked.runId(), checked.metadataOrEmpty(),
                checked.timestampOr(now));
        this.listeners.ephemeral(ephemeral);
        this.wakeUps.ephemeralPublished(ephemeral);
        return ephemeral;
    }

    @Override
    public EventPage read(String sessionId, EventQuery query) {
        Instant now = now();
        return this.transactions.read(() -> {
            SessionRow row = requireLive(this.jdbc.sql(sql(SELECT_SESSION)).param(sessionId).query(SessionRow::map)
                .optional().orElse(null), sessionId, now);
            LogPosition position = row.position();
            ReadPlan plan = ReadPlan.of(query, position);
            List<Object> params = new ArrayList<>(List.of(sessionId, plan.after(), plan.upTo()));
            StringBuilder filters = new StringBuilder();
            if (query.type() != null) {
                filters.append(" AND EVENT_TYPE = ?");
                params.add(query.type());
            }
            if (query.runId() != null) {
                filters.append(" AND RUN_ID = ?");
                params.add(query.runId());
            }
            if (query.since() != null) {
                filters.append(" AND COALESCE(EVENT_TIME, CREATED_AT) >= ?");
                params.add(query.since().toEpochMilli());
            }
            params.add(query.limit());
            // The sizes first, so that a page of large events never comes into memory whole.
            List<Long> sizes = this.jdbc.sql(sql(READ_EVENT_BYTES).replace("%FILTERS%", filters)).params(params)
                .query(Long.class)
                .list();
            PageBudget budget = this.settings.pageBudget().takeAll(sizes);
            if (budget.taken() == 0) {
                return plan.page(sessionId, position, List.of(), query.limit());
            }
            params.set(params.size() - 1, budget.taken());
            List<EventRecord> events = this.jdbc.sql(sql(READ_EVENTS).replace("%FILTERS%", filters))
                .params(params)
                .query((rs, rowNum) -> event(sessionId, row.epoch(), rs))
                .list();
            return plan.page(sessionId, position, events, query.limit(), budget.cut());
        });
    }

    @Override
    public LogPosition position(String sessionId) {
        Instant now = now();
        return requireLive(JdbcFailures.run(() -> this.jdbc.sql(sql(SELECT_SESSION))
            .param(sessionId)
            .query(SessionRow::map)
            .optional()
            .orElse(null)), sessionId, now).position();
    }

    @Override
    public void deleteBefore(String sessionId, long before) {
        if (before < 1) {
            throw McpSessionException.invalidRequest("'before' must be at least 1");
        }
        Instant now = now();
        this.transactions.write(() -> {
            SessionRow row = requireLive(lockSession(sessionId), sessionId, now);
            retainFrom(row, Math.min(before, row.lastSeq() + 1));
            return null;
        });
    }

    // Feed

    @Override
    public FeedPage readFeed(FeedQuery query) {
        this.wakeUps.numberFeed();
        return this.feed.read(query);
    }

    // Waiting and housekeeping

    @Override
    public Subscription subscribe(String sessionId, SessionListener listener) {
        return this.wakeUps.watch(sessionId, this.listeners.subscribe(sessionId, listener));
    }

    @Override
    public Subscription subscribeFeed(FeedListener listener) {
        return this.listeners.subscribeFeed(listener);
    }

    @Override
    public SweepResult sweep() {
        if (!this.storeRows.restoring(() -> this.storeRows.tryLease(JdbcSweepLease.NAME, JdbcSweepLease.MILLIS))) {
            return SweepResult.EMPTY;
        }
        Instant now = now();
        long expired = sweepExpired(now);
        long evicted = sweepOverfull() + sweepOld(now.minus(this.settings.eventTtl()));
        long feedEvicted = this.settings.feedEnabled()
                ? this.feed.trim(this.settings.feedMaxEntries(), now.minus(this.settings.feedTtl())) : 0;
        this.transactions.write(() -> this.jdbc.sql(sql(FORGET_REMOVED))
            .param(now.minus(this.settings.feedTtl()).toEpochMilli())
            .update());
        if (expired > 0) {
            this.wakeUps.feedChanged();
        }
        return new SweepResult(expired, evicted, feedEvicted);
    }

    private long sweepExpired(Instant now) {
        long expired = 0;
        List<String> ids;
        do {
            ids = JdbcFailures.run(() -> this.jdbc.sql(sql(EXPIRED_SESSIONS))
                .params(now.toEpochMilli(), SWEEP_BATCH)
                .query(String.class)
                .list());
            for (String id : ids) {
                boolean removed = this.transactions.write(() -> {
                    SessionRow row = lockSession(id);
                    if (row == null || !row.isExpired(now)) {
                        return false;
                    }
                    remove(row, CloseReason.EXPIRED, now);
                    return true;
                });
                if (removed) {
                    expired++;
                    this.wakeUps.removed(id, CloseReason.EXPIRED);
                }
            }
        }
        while (ids.size() == SWEEP_BATCH);
        return expired;
    }

    /** Trims logs over {@code max-per-session} (evict-oldest lets them overrun until this sweep). */
    private long sweepOverfull() {
        long evicted = 0;
        List<String> ids;
        do {
            ids = JdbcFailures.run(() -> this.jdbc.sql(sql(OVERFULL_SESSIONS))
                .params(this.settings.maxEventsPerSession(), SWEEP_BATCH)
                .query(String.class)
                .list());
            for (String id : ids) {
                evicted += this.transactions.write(() -> {
                    SessionRow row = lockSession(id);
                    return (row != null) ? retainFrom(row, row.lastSeq() - this.settings.maxEventsPerSession() + 1) : 0;
                });
            }
        }
        while (ids.size() == SWEEP_BATCH);
        return evicted;
    }

    /** Trims events older than the event TTL, oldest first so the retained window stays contiguous. */
    private long sweepOld(Instant cutoff) {
        Map<String, Long> lastOldSeq = new LinkedHashMap<>();
        JdbcFailures.run(() -> this.jdbc.sql(sql(SESSIONS_WITH_OLD_EVENTS))
            .param(cutoff.toEpochMilli())
            .query((rs, row) -> lastOldSeq.put(rs.getString(1), rs.getLong(2)))
            .list());
        long evicted = 0;
        for (Map.Entry<String, Long> old : lastOldSeq.entrySet()) {
            evicted += this.transactions.write(() -> {
                SessionRow row = lockSession(old.getKey());
                return (row != null) ? retainFrom(row, old.getValue() + 1) : 0;
            });
        }
        return evicted;
    }

    @Override
    public void close() {
        this.wakeUps.close();
        this.listeners.clear();
    }

    // Rows

    private @Nullable SessionRow lockSession(String sessionId) {
        return this.jdbc.sql(sql(LOCK_SESSION))
            .param(sessionId)
            .query(SessionRow::map)
            .optional()
            .orElse(null);
    }

    private void touchLive(String sessionId, Instant now) {
        int touched = this.jdbc.sql(sql(TOUCH_SESSION))
            .params(now.toEpochMilli(), now.plus(this.settings.timeout()).toEpochMilli(), sessionId,
                    now.toEpochMilli())
            .update();
        if (touched == 0) {
            throw McpSessionException.sessionNotFound(sessionId);
        }
    }

    private void insertSession(Session session) {
        this.jdbc.sql(sql(INSERT_SESSION))
            .params(session.id(), session.createdAt().toEpochMilli(), session.lastActivity().toEpochMilli(),
                    session.expiresAt().toEpochMilli(), session.initialized(), session.clientCapabilities(),
                    session.serverCapabilities(), session.protocolVersion(), session.metadata(), session.principal(),
                    Epochs.next())
            .update();
    }

    /** Removes a locked session with its events and state, remembers where it stood, and records why. */
    private void remove(SessionRow row, CloseReason reason, Instant now) {
        String id = row.session().id();
        this.jdbc.sql(sql(DELETE_EVENTS)).param(id).update();
        this.jdbc.sql(sql(DELETE_STATE)).param(id).update();
        this.jdbc.sql(sql(DELETE_SESSION)).param(id).update();
        this.jdbc.sql(sql(DELETE_REMOVED)).param(id).update();
        this.jdbc.sql(sql(INSERT_REMOVED))
            .params(id, row.session().createdAt().toEpochMilli(), row.session().principal(), reason.value(),
                    now.toEpochMilli())
            .update();
        this.feed.record(List.of(Change.removed((reason == CloseReason.EXPIRED) ? FeedEntryType.SESSION_EXPIRED
                : FeedEntryType.SESSION_DELETED, row.session(), now)));
    }

    /** Deletes a locked session's events below {@code earliest}; returns how many went. */
    private int retainFrom(SessionRow row, long earliest) {
        if (earliest <= row.earliestRetained()) {
            return 0;
        }
        String id = row.session().id();
        int deleted = this.jdbc.sql(sql(DELETE_EVENTS_BEFORE)).params(id, earliest).update();
        this.jdbc.sql(sql(RETAIN_FROM)).params(earliest, id).update();
        return deleted;
    }

    private static EventRecord event(String sessionId, String epoch, ResultSet rs) throws SQLException {
        return new EventRecord(sessionId, rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), Instant.ofEpochMilli(rs.getLong(7)), epoch);
    }

    private static SessionRow requireLive(@Nullable SessionRow row, String sessionId, Instant now) {
        if (row == null || row.isExpired(now)) {
            throw McpSessionException.sessionNotFound(sessionId);
        }
        return row;
    }

    private List<NewEvent> checkBatch(List<NewEvent> events) {
        if (events.isEmpty()) {
            throw McpSessionException.invalidRequest("A batch holds at least one event");
        }
        List<NewEvent> checked = new ArrayList<>(events.size());
        for (NewEvent event : events) {
            if (event.ephemeral()) {
                throw McpSessionException.invalidRequest("Ephemeral events are published, not appended");
            }
            checked.add(this.settings.checkEvent(event));
        }
        return checked;
    }

    /** The statement of a template with this store's names in it, resolved once per template. */
    private String sql(String template) {
        return this.statements.computeIfAbsent(template, (text) -> text.replace("%TABLE_PREFIX%", this.tablePrefix)
            .replace("%COLUMNS%", SessionRow.COLUMNS)
            .replace("%EVENT_COLUMNS%", EVENT_COLUMNS)
            .replace("%FOR_UPDATE%", this.platform.forUpdate())
            .replace("%EVENT_BYTES%", this.platform.octetLength("DATA") + " + " + this.platform.octetLength("METADATA"))
            .replace("%SESSION_BYTES%", this.platform.octetLength("CLIENT_CAPABILITIES") + " + "
                    + this.platform.octetLength("SERVER_CAPABILITIES") + " + " + this.platform.octetLength("METADATA"))
            .replace("%STATE_BYTES%", this.platform.octetLength("STATE_VALUE")));
    }

    private Instant now() {
        return Timestamps.now(this.clock);
    }

}
