package io.mcpsession.web;

import java.util.List;

import io.mcpsession.jdbc.JdbcPlatform;
import io.mcpsession.jdbc.TestDatabases;

/**
 * The replay-to-live handoff on SQLite: both instances open one database file of this test's own (removed when
 * the JVM exits), as two processes on one host would.
 */
class SqliteSseHandoffTests extends SseHandoffTestSupport {

    /**
     * Each instance serializes its own writes only, so the instances' transactions take the write lock as they
     * begin: a deferred one that meets the other instance's write fails with SQLITE_BUSY instead of waiting.
     */
    private final String url = TestDatabases.jdbcUrl(JdbcPlatform.SQLITE) + "&transaction_mode=IMMEDIATE";

    @Override
    List<String> storeArguments() {
        return jdbcArguments(this.url, "MCP_");
    }

    @Override
    void deleteStoredData() {
        // The file is this test's alone and goes when the JVM exits.
    }

}
