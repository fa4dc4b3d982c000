package io.mcpsession.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The real databases the JDBC tests run against. PostgreSQL and MariaDB come from
 * {@code MCP_SESSION_TEST_POSTGRES_URL} and {@code MCP_SESSION_TEST_MARIADB_URL} (for example
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}), else from Testcontainers where Docker runs;
 * without either the tests fail, because a skipped database test would hide a broken store. H2 and SQLite run
 * in process.
 */
public final class TestDatabases {

    public static final String POSTGRES_VARIABLE = "MCP_SESSION_TEST_POSTGRES_URL";

    public static final String MARIADB_VARIABLE = "MCP_SESSION_TEST_MARIADB_URL";

    private static final Map<JdbcPlatform, HikariDataSource> DATA_SOURCES = new EnumMap<>(JdbcPlatform.class);

    private TestDatabases() {
    }

    /** The shared data source of a platform's tests. */
    public static synchronized DataSource dataSource(JdbcPlatform platform) {
        return DATA_SOURCES.computeIfAbsent(platform, (key) -> pool(jdbcUrl(key)));
    }

    /** The JDBC URL of a platform's test database. */
    public static String jdbcUrl(JdbcPlatform platform) {
        return switch (platform) {
            case POSTGRESQL -> fromEnvironmentOrContainer(POSTGRES_VARIABLE, "postgres");
            case MARIADB -> fromEnvironmentOrContainer(MARIADB_VARIABLE, "mariadb");
            case H2 -> "jdbc:h2:mem:mcp-session-tests;DB_CLOSE_DELAY=-1";
            case SQLITE -> "jdbc:sqlite:" + sqliteFile() + "?journal_mode=WAL&busy_timeout=10000";
            case MYSQL -> throw new IllegalStateException("MySQL is not tested here; MariaDB stands for it");
        };
    }

    /** A table prefix of its own, so that a store starts with empty tables (its feed too). */
    public static String newTablePrefix() {
        return "T" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).toUpperCase() + "_";
    }

    /** Drops the tables of a prefix. */
    public static void dropTables(DataSource dataSource, String prefix) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        for (String table : new String[] { "EVENTS", "SESSION_STATE", "FEED", "REMOVED_SESSIONS", "STORE",
                "SESSIONS" }) {
            jdbc.execute("DROP TABLE IF EXISTS " + prefix + table);
        }
    }

    private static HikariDataSource pool(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(24);
        config.setConnectionTimeout(10_000);
        return new HikariDataSource(config);
    }

    private static String fromEnvironmentOrContainer(String variable, String kind) {
        String url = System.getenv(variable);
        if (url != null && !url.isBlank()) {
            return url;
        }
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("No " + kind + " to test against: set " + variable
                    + " to a JDBC URL of a test database, or run Docker for Testcontainers");
        }
        if (kind.equals("postgres")) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
            container.start();
            return container.getJdbcUrl() + "&user=" + container.getUsername() + "&password=" + container.getPassword();
        }
        MariaDBContainer container = new MariaDBContainer("mariadb:10.11");
        container.start();
        return container.getJdbcUrl() + "?user=" + container.getUsername() + "&password=" + container.getPassword();
    }

    private static Path sqliteFile() {
        try {
            Path file = Files.createTempFile("mcp-session-tests", ".db");
            file.toFile().deleteOnExit();
            return file;
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
