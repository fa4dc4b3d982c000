package io.mcpsession.web;

import java.util.List;

/**
 * Two applications on PostgreSQL with LISTEN/NOTIFY, and the position check once an hour: only a notification
 * explains a prompt answer.
 */
class PostgresqlTwoApplicationsTests extends TwoApplicationsTestSupport {

    @Override
    List<String> wakeUpArguments() {
        return List.of("--mcp.session.store.jdbc.poll-interval=1h");
    }

    @Override
    boolean notifies() {
        return true;
    }

}
