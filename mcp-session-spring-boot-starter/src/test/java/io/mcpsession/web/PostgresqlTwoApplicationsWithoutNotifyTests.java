package io.mcpsession.web;

import java.util.List;

/**
 * Two applications on PostgreSQL without LISTEN/NOTIFY (as behind a proxy that pools transactions): the position
 * check alone wakes readers, within its interval.
 */
class PostgresqlTwoApplicationsWithoutNotifyTests extends TwoApplicationsTestSupport {

    @Override
    List<String> wakeUpArguments() {
        return List.of("--mcp.session.store.jdbc.poll-interval=200ms", "--mcp.session.store.jdbc.listen-notify=false");
    }

    @Override
    boolean notifies() {
        return false;
    }

}
