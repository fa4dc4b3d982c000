package io.mcpsession.jdbc;

import io.mcpsession.tck.MultiInstanceContractTests;
import io.mcpsession.tck.SharedStorage;

class PostgresqlJdbcMultiInstanceContractTests extends MultiInstanceContractTests {

    @Override
    public SharedStorage createSharedStorage() {
        return new SharedTables(JdbcPlatform.POSTGRESQL);
    }

}
