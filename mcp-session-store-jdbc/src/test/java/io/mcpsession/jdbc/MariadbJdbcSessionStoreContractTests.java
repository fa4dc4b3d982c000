package io.mcpsession.jdbc;

import java.time.Clock;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.tck.SessionStoreContractTests;

class MariadbJdbcSessionStoreContractTests extends SessionStoreContractTests {

    @Override
    public SessionStore createStore(StoreSettings settings, Clock clock) {
        return JdbcStoreFactory.create(JdbcPlatform.MARIADB, settings, clock);
    }

}
