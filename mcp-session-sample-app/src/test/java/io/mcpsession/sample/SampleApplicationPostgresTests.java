package io.mcpsession.sample;

import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The documented {@code postgres} profile, against the database that {@code MCP_SESSION_TEST_POSTGRES_URL} names.
 */
@ActiveProfiles("postgres")
class SampleApplicationPostgresTests extends SampleDatabaseTestSupport {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        database(registry, fromEnvironment("MCP_SESSION_TEST_POSTGRES_URL"));
    }

    @Override
    String platform() {
        return "postgresql";
    }

}
