package io.mcpsession.jdbc;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The store-wide rows of {@code <prefix>STORE}: named values (the feed's epoch and latest seq), rows that
 * serialize rare store-wide changes (creating sessions against {@code max-sessions}), and leases that let one
 * instance at a time do a job (the sweep).
 */
final class StoreRows {

    private static final String INSERT = """
            INSERT INTO %TABLE_PREFIX%STORE (NAME, VALUE_TEXT, EXPIRES_AT) VALUES (?, ?, 0)
            """;

    private static final String SELECT = """
            SELECT VALUE_TEXT FROM %TABLE_PREFIX%STORE WHERE NAME = ?
            """;

    private static final String TAKE_LEASE = """
            UPDATE %TABLE_PREFIX%STORE SET OWNER = ?, EXPIRES_AT = ?
            WHERE NAME = ? AND (OWNER = ? OR OWNER IS NULL OR EXPIRES_AT < ?)
            """;

    private final JdbcClient jdbc;

    private final String insert;

    private final String select;

    private final String takeLease;

    private final String lock;

    /** Who this instance is in lease rows. */
    private final String owner = UUID.randomUUID().toString();

    /** Leases run on wall-clock time, shared by every instance, whatever clock the store's records use. */
    private final Clock leaseClock = Clock.systemUTC();

    private final JdbcTransactions transactions;

    /** The rows this store needs and what each starts with, to create them again if the tables are emptied. */
    private final Map<String, Supplier<String>> initialValues = new ConcurrentHashMap<>();

    StoreRows(JdbcClient jdbc, JdbcTransactions transactions, String tablePrefix, String forUpdate) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.insert = INSERT.replace("%TABLE_PREFIX%", tablePrefix);
        this.select = SELECT.replace("%TABLE_PREFIX%", tablePrefix);
        this.takeLease = TAKE_LEASE.replace("%TABLE_PREFIX%", tablePrefix);
        this.lock = (SELECT.strip() + forUpdate).replace("%TABLE_PREFIX%", tablePrefix);
    }

    /**
     * Creates the row unless it exists, in a transaction of its own (a failed insert aborts it), and remembers it as
     * one this store needs. It looks first, so that a restart inserts nothing (some drivers log every rejected insert
     * as a warning).
     */
    void createIfAbsent(String name, Supplier<String> initialValue) {
        this.initialValues.put(name, initialValue);
        insertIfAbsent(name, initialValue.get());
    }

    private void insertIfAbsent(String name, String value) {
        if (this.jdbc.sql(this.select).param(name).query(String.class).optional().isPresent()) {
            return;
        }
        try {
            this.transactions.write(() -> this.jdbc.sql(this.insert).params(name, value).update());
        }
        catch (DuplicateKeyException ex) {
            // Another instance, or an earlier start, created it.
        }
        catch (RuntimeException ex) {
            // SQLite reports the same duplicate as an uncategorized error: the row being there now is what counts.
            if (this.jdbc.sql(this.select).param(name).query(String.class).optional().isEmpty()) {
                throw ex;
            }
        }
    }

    /**
     * Runs {@code work} outside any transaction; when it finds a row of this store missing (the tables were emptied
     * under the running store), creates the missing rows again, as at start-up, and runs it once more. A new feed
     * epoch comes with them, so cursors of the emptied feed reset.
     */
    <T> T restoring(Supplier<T> work) {
        try {
            return work.get();
        }
        catch (MissingRow ex) {
            this.initialValues.forEach((name, initialValue) -> insertIfAbsent(name, initialValue.get()));
            return work.get();
        }
    }

    /** Locks the row until the caller's transaction ends. */
    void lock(String name) {
        this.jdbc.sql(this.lock).param(name).query(String.class).optional().orElseThrow(() -> new MissingRow(name));
    }

    String value(String name) {
        return this.jdbc.sql(this.select).param(name).query(String.class).optional().orElseThrow(() -> new MissingRow(name));
    }

    /**
     * Takes or renews the lease {@code name} for {@code millis}.
     * @return whether this instance holds it now
     */
    boolean tryLease(String name, long millis) {
        long now = this.leaseClock.millis();
        return this.transactions.write(() -> {
            if (this.jdbc.sql(this.takeLease).params(this.owner, now + millis, name, this.owner, now).update() == 1) {
                return true;
            }
            value(name);
            return false;
        });
    }

    /** A row of this store is missing: its tables were emptied under it. */
    static final class MissingRow extends RuntimeException {

        MissingRow(String name) {
            super("The store row '" + name + "' is missing", null, false, false);
        }

    }

}
