package io.mcpsession.jdbc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.mcpsession.testengines.TestMariadb;
import io.mcpsession.testengines.TestPostgres;

/**
 * The real databases the JDBC tests run against. PostgreSQL and MariaDB are found by {@link TestPostgres} and
 * {@link TestMariadb} (their variable, the default local port, Testcontainers, an embedded server; never a skip,
 * because a skipped database test would hide a broken store). H2 and SQLite run in process.
 */
public final class TestDatabases {

    /** Every table of a store, children first. */
    static final List<String> TABLES = List.of("EVENTS", "SESSION_STATE", "FEED", "REMOVED_SESSIONS", "STORE",
            "SESSIONS");

    private static final Map<JdbcPlatform, HikariDataSource> DATA_SOURCES = new EnumMap<>(JdbcPlatform.class);

    /** The one SQLite file of this run, so that every pool on it (every instance) shares its tables. */
    private static Path sqliteDatabase;

    private TestDatabases() {
    }

    /** The shared data source of a platform's tests. */
    public static synchronized DataSource dataSource(JdbcPlatform platform) {
        return DATA_SOURCES.computeIfAbsent(platform, (key) -> pool(jdbcUrl(key)));
    }

    /** The JDBC URL of a platform's test database. */
    public static String jdbcUrl(JdbcPlatform platform) {
        return switch (platform) {
            case POSTGRESQL -> TestPostgres.jdbcUrl();
            case MARIADB -> TestMariadb.jdbcUrl();
            case H2 -> "jdbc:h2:mem:mcp-session-tests;DB_CLOSE_DELAY=-1";
            case SQLITE -> "jdbc:sqlite:" + sqliteFile() + "?journal_mode=WAL&busy_timeout=10000";
        };
    }

    /** A table prefix of its own, so that a store starts with empty tables (its feed too). */
    public static String newTablePrefix() {
        return "T" + Long.toString(ThreadLocalRandom.current().nextLong(Long.MAX_VALUE), 36).toUpperCase() + "_";
    }

    /** Drops the tables of a prefix. */
    public static void dropTables(DataSource dataSource, String prefix) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        for (String table : TABLES) {
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

    private static synchronized Path sqliteFile() {
        if (sqliteDatabase != null) {
            return sqliteDatabase;
        }
        try {
            sqliteDatabase = Files.createTempFile("mcp-session-tests", ".db");
            sqliteDatabase.toFile().deleteOnExit();
            return sqliteDatabase;
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
