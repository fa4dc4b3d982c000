package io.mcpsession.jdbc;

import java.time.Clock;
import java.time.Duration;

import javax.sql.DataSource;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

/**
 * Creates JDBC stores on a test database, each with tables of its own that go when the store closes.
 */
final class JdbcStoreFactory {

    private JdbcStoreFactory() {
    }

    static SessionStore create(JdbcPlatform platform, StoreSettings settings, Clock clock) {
        DataSource dataSource = TestDatabases.dataSource(platform);
        String prefix = TestDatabases.newTablePrefix();
        JdbcSchema.initialize(dataSource, platform, prefix);
        return new JdbcSessionStore(dataSource, settings, clock, prefix, Duration.ofMillis(100)) {

            @Override
            public void close() {
                super.close();
                TestDatabases.dropTables(dataSource, prefix);
            }

        };
    }

}
