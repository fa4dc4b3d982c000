package io.mcpsession.sample;

import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.mcpsession.testengines.TestMariadb;

/**
 * The documented {@code mariadb} profile, against the tests' MariaDB ({@link TestMariadb}).
 */
@ActiveProfiles("mariadb")
class SampleApplicationMariadbTests extends SampleDatabaseTestSupport {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        database(registry, TestMariadb.jdbcUrl());
    }

    @Override
    String platform() {
        return "mariadb";
    }

}
