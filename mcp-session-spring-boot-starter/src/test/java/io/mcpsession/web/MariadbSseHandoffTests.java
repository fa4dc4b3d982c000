package io.mcpsession.web;

import java.util.List;

import io.mcpsession.jdbc.JdbcPlatform;
import io.mcpsession.jdbc.TestDatabases;

/**
 * The replay-to-live handoff on MariaDB, in tables of its own: instances learn of each other's appends from the
 * periodic position check.
 */
class MariadbSseHandoffTests extends SseHandoffTestSupport {

    private final String prefix = TestDatabases.newTablePrefix();

    @Override
    List<String> storeArguments() {
        return jdbcArguments(TestDatabases.jdbcUrl(JdbcPlatform.MARIADB), this.prefix);
    }

    @Override
    void deleteStoredData() {
        TestDatabases.dropTables(TestDatabases.dataSource(JdbcPlatform.MARIADB), this.prefix);
    }

}
