package io.mcpsession.jdbc;

/**
 * Two instances on one MariaDB: no notification bus, so readers wake by the position check.
 */
class MariadbTwoInstancesTests extends JdbcTwoInstancesTests {

    @Override
    JdbcPlatform platform() {
        return JdbcPlatform.MARIADB;
    }

}
