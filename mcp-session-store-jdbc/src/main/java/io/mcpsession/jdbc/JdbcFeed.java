package io.mcpsession.jdbc;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.JsonText;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.PageBudget;
import io.mcpsession.core.ReadPlan;
import io.mcpsession.core.RecordJson;
import io.mcpsession.core.Session;

/**
 * The global feed in {@code <prefix>FEED}. Writers insert unnumbered rows in their own transaction, so appends
 * to different sessions never wait for each other here; a sequencer numbers committed rows after the fact, one
 * numbering transaction at a time (it locks the {@code feed-latest} row, which no append touches). Readers see
 * numbered rows only, so the feed is gap-free, and one session's entries keep its commit order.
 */
final class JdbcFeed {

    static final String LATEST = "feed-latest";

    static final String EPOCH = "feed-epoch";

    private static final int NUMBERING_BATCH = 1000;

    private static final String INSERT = """
            INSERT INTO %TABLE_PREFIX%FEED (ENTRY_TYPE, SESSION_ID, CREATED_AT, PAYLOAD, PRINCIPAL) VALUES (?, ?, ?, ?, ?)
            """;

    private static final String LOCK_LATEST = """
            SELECT VALUE_TEXT FROM %TABLE_PREFIX%STORE WHERE NAME = 'feed-latest'%FOR_UPDATE%
            """;

    private static final String ANY_PENDING = """
            SELECT ID FROM %TABLE_PREFIX%FEED WHERE SEQ IS NULL ORDER BY ID LIMIT 1
            """;

    private static final String PENDING = """
            SELECT ID FROM %TABLE_PREFIX%FEED WHERE SEQ IS NULL ORDER BY ID LIMIT ?
            """;

    private static final String NUMBER = """
            UPDATE %TABLE_PREFIX%FEED SET SEQ = ? WHERE ID = ?
            """;

    private static final String SET_LATEST = """
            UPDATE %TABLE_PREFIX%STORE SET VALUE_TEXT = ? WHERE NAME = 'feed-latest'
            """;

    private static final String EARLIEST = """
            SELECT MIN(SEQ) FROM %TABLE_PREFIX%FEED WHERE SEQ IS NOT NULL
            """;

    private static final String READ = """
            SELECT SEQ, ENTRY_TYPE, SESSION_ID, CREATED_AT, PAYLOAD, PRINCIPAL FROM %TABLE_PREFIX%FEED
            WHERE SEQ > ? AND SEQ <= ?%FILTERS% ORDER BY SEQ LIMIT ?
            """;

    /** The sizes of the entries {@link #READ} would return, for the page budget. */
    private static final String READ_BYTES = READ.replace("SEQ, ENTRY_TYPE, SESSION_ID, CREATED_AT, PAYLOAD, PRINCIPAL",
            "%PAYLOAD_BYTES%");

    private static final String LAST_OLDER_THAN = """
            SELECT MAX(SEQ) FROM %TABLE_PREFIX%FEED WHERE SEQ IS NOT NULL AND CREATED_AT < ?
            """;

    private static final String TRIM = """
            DELETE FROM %TABLE_PREFIX%FEED WHERE SEQ IS NOT NULL AND SEQ > ? AND SEQ <= ?
            """;

    private final JdbcClient jdbc;

    private final JdbcOperations operations;

    private final StoreRows storeRows;

    private final JdbcTransactions transactions;

    private final String prefix;

    private final String insert;

    private final String lockLatest;

    private final boolean enabled;

    private final long maxPageBytes;

    private final String readBytes;

    JdbcFeed(JdbcClient jdbc, JdbcOperations operations, StoreRows storeRows, JdbcTransactions transactions,
            JdbcPlatform platform, String prefix, boolean enabled, long maxPageBytes) {
        this.jdbc = jdbc;
        this.operations = operations;
        this.storeRows = storeRows;
        this.transactions = transactions;
        this.prefix = prefix;
        this.insert = sql(INSERT);
        this.lockLatest = sql(LOCK_LATEST).replace("%FOR_UPDATE%", platform.forUpdate());
        this.enabled = enabled;
        this.maxPageBytes = maxPageBytes;
        this.readBytes = sql(READ_BYTES).replace("%PAYLOAD_BYTES%", platform.octetLength("PAYLOAD"));
    }

    /** A change to record, in the writer's transaction, with the principal of the session that changed. */
    record Change(FeedEntryType type, String sessionId, Instant timestamp, @Nullable String payload,
            @Nullable String principal) {

        /**
         * The entry of an appended event: its own timestamp is the store's time of the append ({@code appendedAt}),
         * while the event inside keeps its producer's timestamp.
         */
        static Change of(EventRecord event, Instant appendedAt, @Nullable String principal) {
            return new Change(FeedEntryType.EVENT_APPENDED, event.sessionId(), appendedAt, JsonText.toJson(event),
                    principal);
        }

        static Change of(FeedEntryType type, Session session, Instant timestamp) {
            return new Change(type, session.id(), timestamp, JsonText.toJson(session), session.principal());
        }

        static Change removed(FeedEntryType type, Session session, Instant timestamp) {
            return new Change(type, session.id(), timestamp, null, session.principal());
        }

    }

    /** Records changes as unnumbered rows; the caller's transaction commits them. */
    void record(List<Change> changes) {
        if (!this.enabled || changes.isEmpty()) {
            return;
        }
        this.operations.batchUpdate(this.insert, changes, changes.size(), (statement, change) -> {
            statement.setString(1, change.type().value());
            statement.setString(2, change.sessionId());
            statement.setLong(3, change.timestamp().toEpochMilli());
            statement.setString(4, change.payload());
            statement.setString(5, change.principal());
        });
    }

    /**
     * Numbers the committed rows that have no seq yet, in the order they were inserted.
     * @return the feed's latest seq when rows were numbered, else {@code -1}
     */
    long numberPending() {
        if (!this.enabled || this.jdbc.sql(sql(ANY_PENDING)).query(Long.class).optional().isEmpty()) {
            return -1;
        }
        return this.storeRows.restoring(this::numberAll);
    }

    private long numberAll() {
        long latest = -1;
        int numbered;
        do {
            long[] result = this.transactions.write(() -> {
                long last = Long.parseLong(this.jdbc.sql(this.lockLatest)
                    .query(String.class)
                    .optional()
                    .orElseThrow(() -> new StoreRows.MissingRow(LATEST)));
                List<Long> pending = this.jdbc.sql(sql(PENDING)).param(NUMBERING_BATCH).query(Long.class).list();
                List<long[]> numbers = new ArrayList<>(pending.size());
                for (Long id : pending) {
                    numbers.add(new long[] { ++last, id });
                }
                this.operations.batchUpdate(sql(NUMBER), numbers, numbers.size(), (statement, pair) -> {
                    statement.setLong(1, pair[0]);
                    statement.setLong(2, pair[1]);
                });
                this.jdbc.sql(sql(SET_LATEST)).param(Long.toString(last)).update();
                return new long[] { last, pending.size() };
            });
            numbered = (int) result[1];
            if (numbered > 0) {
                latest = result[0];
            }
        }
        while (numbered == NUMBERING_BATCH);
        return latest;
    }

    /** The feed's latest seq. */
    long latest() {
        return this.storeRows.restoring(() -> Long.parseLong(this.storeRows.value(LATEST)));
    }

    /** The feed's epoch. */
    String epoch() {
        return this.storeRows.restoring(() -> this.storeRows.value(EPOCH));
    }

    /** Reads a page from one consistent snapshot. */
    FeedPage read(FeedQuery query) {
        return this.storeRows.restoring(() -> this.transactions.read(() -> {
            long latest = Long.parseLong(this.storeRows.value(LATEST));
            Long earliest = this.jdbc.sql(sql(EARLIEST)).query(Long.class).optional().orElse(null);
            LogPosition position = new LogPosition(latest, (earliest != null) ? earliest : latest + 1,
                    this.storeRows.value(EPOCH));
            ReadPlan plan = ReadPlan.of(query.after(), query.epoch(), null, position);
            List<Object> params = new ArrayList<>(List.of(plan.after(), plan.upTo()));
            StringBuilder filters = new StringBuilder();
            if (!query.types().isEmpty()) {
                filters.append(" AND ENTRY_TYPE IN (")
                    .append(query.types().stream().map((type) -> "?").collect(Collectors.joining(", ")))
                    .append(')');
                query.types().forEach((type) -> params.add(type.value()));
            }
            if (query.sessionId() != null) {
                filters.append(" AND SESSION_ID = ?");
                params.add(query.sessionId());
            }
            if (!query.scope().all()) {
                filters.append((query.scope().principal() != null) ? " AND PRINCIPAL = ?" : " AND PRINCIPAL IS NULL");
                if (query.scope().principal() != null) {
                    params.add(query.scope().principal());
                }
            }
            params.add(query.limit());
            // The sizes first, so that a page of large entries never comes into memory whole.
            List<Long> sizes = this.jdbc.sql(this.readBytes.replace("%FILTERS%", filters)).params(params)
                .query(Long.class)
                .list();
            PageBudget budget = new PageBudget(this.maxPageBytes).takeAll(sizes);
            if (budget.taken() == 0) {
                return plan.feedPage(position, List.of(), query.limit());
            }
            params.set(params.size() - 1, budget.taken());
            List<FeedEntry> entries = this.jdbc.sql(sql(READ).replace("%FILTERS%", filters))
                .params(params)
                .query((rs, row) -> entry(position.epoch(), rs.getLong(1), rs.getString(2), rs.getString(3),
                        rs.getLong(4), rs.getString(5), rs.getString(6)))
                .list();
            return plan.feedPage(position, entries, query.limit(), budget.cut());
        }));
    }

    /**
     * Removes the oldest entries beyond {@code maxEntries} and those recorded before {@code cutoff}, a bounded
     * batch per transaction; the retained window stays contiguous.
     * @return how many went
     */
    long trim(long maxEntries, Instant cutoff) {
        long latest = latest();
        Long lastOld = this.jdbc.sql(sql(LAST_OLDER_THAN)).param(cutoff.toEpochMilli()).query(Long.class)
            .optional().orElse(null);
        long through = Math.max(latest - maxEntries, (lastOld != null) ? lastOld : 0);
        Long earliest = this.jdbc.sql(sql(EARLIEST)).query(Long.class).optional().orElse(null);
        if (earliest == null || through < earliest) {
            return 0;
        }
        long removed = 0;
        for (long from = earliest - 1; from < through; from += NUMBERING_BATCH * 10L) {
            long to = Math.min(through, from + NUMBERING_BATCH * 10L);
            long start = from;
            removed += this.transactions.write(() -> this.jdbc.sql(sql(TRIM)).params(start, to).update());
        }
        return removed;
    }

    private static FeedEntry entry(String epoch, long seq, String type, String sessionId, long createdAt,
            @Nullable String payload, @Nullable String principal) {
        FeedEntryType entryType = FeedEntryType.fromValue(type)
            .orElseThrow(() -> new IllegalStateException("Unknown feed entry type in the database"));
        EventRecord event = (entryType == FeedEntryType.EVENT_APPENDED && payload != null) ? RecordJson.event(payload)
                : null;
        Session session = (entryType == FeedEntryType.SESSION_CREATED || entryType == FeedEntryType.SESSION_UPDATED)
                && payload != null ? RecordJson.session(payload) : null;
        return new FeedEntry(seq, entryType, sessionId, Instant.ofEpochMilli(createdAt), epoch, event, session,
                principal);
    }

    private String sql(String template) {
        return template.replace("%TABLE_PREFIX%", this.prefix);
    }

}
