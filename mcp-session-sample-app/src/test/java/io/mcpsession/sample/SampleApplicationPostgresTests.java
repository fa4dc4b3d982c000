package io.mcpsession.sample;

import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.mcpsession.testengines.TestPostgres;

/**
 * The documented {@code postgres} profile, against the tests' PostgreSQL ({@link TestPostgres}).
 */
@ActiveProfiles("postgres")
class SampleApplicationPostgresTests extends SampleDatabaseTestSupport {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        database(registry, TestPostgres.jdbcUrl());
    }

    @Override
    String platform() {
        return "postgresql";
    }

}
