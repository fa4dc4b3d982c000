package io.mcpsession.web;

import java.util.List;

import io.mcpsession.jdbc.JdbcPlatform;
import io.mcpsession.jdbc.TestDatabases;

/**
 * The replay-to-live handoff on PostgreSQL, in tables of its own: instances wake each other with LISTEN/NOTIFY.
 */
class PostgresqlSseHandoffTests extends SseHandoffTestSupport {

    private final String prefix = TestDatabases.newTablePrefix();

    @Override
    List<String> storeArguments() {
        return jdbcArguments(TestDatabases.jdbcUrl(JdbcPlatform.POSTGRESQL), this.prefix);
    }

    @Override
    void deleteStoredData() {
        TestDatabases.dropTables(TestDatabases.dataSource(JdbcPlatform.POSTGRESQL), this.prefix);
    }

}
