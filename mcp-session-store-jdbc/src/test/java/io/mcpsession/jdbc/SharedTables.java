package io.mcpsession.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.tck.SharedStorage;

/**
 * Tables of their own on a test database, shared by several store instances the way application instances share
 * them: each instance has its own connection pool. Closing closes the instances and drops the tables.
 */
final class SharedTables implements SharedStorage {

    /** How often the kit's instances check for changes made elsewhere: often, so tests end soon. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

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

    @Override
    public SessionStore openInstance(StoreSettings settings, Clock clock) {
        return instance(settings, clock, POLL_INTERVAL, true);
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

    /** Empties every table, as an operator's {@code TRUNCATE} (SQLite has none: a {@code DELETE} of every row). */
    @Override
    public void wipe() {
        JdbcTemplate jdbc = new JdbcTemplate(TestDatabases.dataSource(this.platform));
        for (String table : TestDatabases.TABLES) {
            jdbc.execute(((this.platform == JdbcPlatform.SQLITE) ? "DELETE FROM " : "TRUNCATE TABLE ") + this.prefix
                    + table);
        }
    }

    @Override
    public synchronized void close() {
        this.stores.forEach(JdbcSessionStore::close);
        this.pools.forEach(HikariDataSource::close);
        TestDatabases.dropTables(TestDatabases.dataSource(this.platform), this.prefix);
    }

}
