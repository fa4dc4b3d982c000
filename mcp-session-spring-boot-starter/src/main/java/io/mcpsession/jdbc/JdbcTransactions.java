package io.mcpsession.jdbc;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import javax.sql.DataSource;

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

    JdbcTransactions(DataSource dataSource, JdbcPlatform platform) {
        DataSourceTransactionManager manager = new DataSourceTransactionManager(dataSource);
        this.writes = new TransactionTemplate(manager);
        this.reads = new TransactionTemplate(manager);
        this.reads.setReadOnly(true);
        if (!platform.singleWriter()) {
            this.writes.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
            this.reads.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        }
        this.serializeWrites = platform.singleWriter();
        this.singleWriter = new ReentrantLock();
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
        return JdbcFailures.run(() -> this.reads.execute((status) -> work.get()));
    }

}
