package io.mcpsession.sample;

import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The documented {@code mariadb} profile, against the database that {@code MCP_SESSION_TEST_MARIADB_URL} names.
 */
@ActiveProfiles("mariadb")
class SampleApplicationMariadbTests extends SampleDatabaseTestSupport {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        database(registry, fromEnvironment("MCP_SESSION_TEST_MARIADB_URL"));
    }

    @Override
    String platform() {
        return "mariadb";
    }

}
