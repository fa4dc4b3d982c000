package io.mcpsession.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The store's two kinds of transaction: short READ COMMITTED writes that lock the session row they change
 * (serialized in process where the database has one writer), and read-only REPEATABLE READ snapshots, so a
 * page and the position it is planned from agree.
 */
final class JdbcTransactions {

    private final TransactionTemplate writes;

    private final TransactionTemplate reads;

    /** Held around every write where the database allows one writer at a time. */
    private final ReentrantLock singleWriter;

    private final boolean serializeWrites;

    /**
     * The first statement of a read, where it sets the read's isolation (PostgreSQL): one round trip, where the
     * driver's get, set and restore of the connection's isolation cost three, on every page a stream reads.
     */
    private final @Nullable String beginRead;

    private final JdbcTemplate statements;

    JdbcTransactions(DataSource dataSource, JdbcPlatform platform) {
        DataSourceTransactionManager manager = new DataSourceTransactionManager(dataSource);
        this.writes = new TransactionTemplate(
                (platform == JdbcPlatform.SQLITE) ? new ImmediateWrites(dataSource) : manager);
        this.reads = new TransactionTemplate(manager);
        this.reads.setReadOnly(true);
        this.statements = new JdbcTemplate(dataSource);
        this.beginRead = (platform == JdbcPlatform.POSTGRESQL) ? "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
                : null;
        if (!platform.singleWriter()) {
            // Connections already at READ COMMITTED (PostgreSQL's default) are left alone: asking the driver
            // costs a round trip per transaction there.
            if (isolationOf(dataSource) != Connection.TRANSACTION_READ_COMMITTED) {
                this.writes.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
            }
            if (this.beginRead == null) {
                this.reads.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
            }
        }
        this.serializeWrites = platform.singleWriter();
        this.singleWriter = new ReentrantLock();
    }

    /** The isolation the data source's connections start with (a pool gives every connection the same). */
    private static int isolationOf(DataSource dataSource) {
        return JdbcFailures.run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return connection.getTransactionIsolation();
            }
            catch (SQLException ex) {
                throw new CannotGetJdbcConnectionException("Could not read the connections' isolation", ex);
            }
        });
    }

    <T> T write(Supplier<T> work) {
        return JdbcFailures.run(() -> {
            if (!this.serializeWrites) {
                return this.writes.execute((status) -> work.get());
            }
            this.singleWriter.lock();
            try {
                return this.writes.execute((status) -> work.get());
            }
            finally {
                this.singleWriter.unlock();
            }
        });
    }

    <T> T read(Supplier<T> work) {
        return JdbcFailures.run(() -> this.reads.execute((status) -> {
            if (this.beginRead != null) {
                this.statements.execute(this.beginRead);
            }
            return work.get();
        }));
    }

    /**
     * SQLite writes that take the database's write lock as they begin ({@code BEGIN IMMEDIATE}), waiting out the
     * busy timeout for it. A deferred transaction that reads first and then writes fails at once with
     * {@code SQLITE_BUSY} when another connection (another instance over the same file) wrote meanwhile; the
     * in-process lock cannot prevent that across instances.
     */
    private static final class ImmediateWrites extends DataSourceTransactionManager {

        ImmediateWrites(DataSource dataSource) {
            super(dataSource);
        }

        @Override
        protected void prepareTransactionalConnection(Connection connection, TransactionDefinition definition)
                throws SQLException {
            super.prepareTransactionalConnection(connection, definition);
            // The driver has begun a deferred transaction, which holds no lock yet: begin again, immediately.
            try (Statement statement = connection.createStatement()) {
                statement.execute("COMMIT");
                statement.execute("BEGIN IMMEDIATE");
            }
        }

    }

}
