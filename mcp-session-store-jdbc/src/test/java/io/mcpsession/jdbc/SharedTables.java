package io.mcpsession.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.mcpsession.store.StoreSettings;

/**
 * Tables of their own on a test database, shared by several store instances the way application instances share
 * them: each instance has its own connection pool. Closing closes the instances and drops the tables.
 */
final class SharedTables implements AutoCloseable {

    private final JdbcPlatform platform;

    private final String prefix = TestDatabases.newTablePrefix();

    private final List<JdbcSessionStore> stores = new ArrayList<>();

    private final List<HikariDataSource> pools = new ArrayList<>();

    SharedTables(JdbcPlatform platform) {
        this.platform = platform;
        JdbcSchema.initialize(TestDatabases.dataSource(platform), platform, this.prefix);
    }

    String prefix() {
        return this.prefix;
    }

    /** A new instance over the tables, with a pool of its own. */
    synchronized JdbcSessionStore instance(StoreSettings settings, Clock clock, Duration pollInterval,
            boolean listenNotify) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(TestDatabases.jdbcUrl(this.platform));
        config.setMaximumPoolSize(12);
        config.setConnectionTimeout(10_000);
        HikariDataSource pool = new HikariDataSource(config);
        this.pools.add(pool);
        JdbcSessionStore store = new JdbcSessionStore(pool, settings, clock, this.prefix, pollInterval, listenNotify);
        this.stores.add(store);
        return store;
    }

    @Override
    public synchronized void close() {
        this.stores.forEach(JdbcSessionStore::close);
        this.pools.forEach(HikariDataSource::close);
        TestDatabases.dropTables(TestDatabases.dataSource(this.platform), this.prefix);
    }

}
