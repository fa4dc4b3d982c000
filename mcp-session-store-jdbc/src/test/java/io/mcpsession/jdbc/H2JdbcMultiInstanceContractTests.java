package io.mcpsession.jdbc;

import io.mcpsession.tck.MultiInstanceContractTests;
import io.mcpsession.tck.SharedStorage;

class H2JdbcMultiInstanceContractTests extends MultiInstanceContractTests {

    @Override
    public SharedStorage createSharedStorage() {
        return new SharedTables(JdbcPlatform.H2);
    }

}
