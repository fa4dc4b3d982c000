package io.mcpsession.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.McpSessionException;

/**
 * The store's tables: created from {@code schema-<platform>.sql} with the table prefix substituted, and checked
 * at start-up so that missing tables or tables of another version fail clearly instead of on the first request.
 */
public final class JdbcSchema {

    /** The schema version this code reads and writes. */
    public static final String VERSION = "3";

    /** The upgrade scripts by the version they start from, each taking the tables one version up. */
    private static final Map<String, String> UPGRADES = Map.of(
            // Feed entries gain their session's principal.
            "1", "io/mcpsession/jdbc/upgrade-2.sql",
            // Events gain their producer's timestamp, apart from when they were appended.
            "2", "io/mcpsession/jdbc/upgrade-3.sql");

    private static final String VERSION_QUERY = "SELECT VALUE_TEXT FROM %TABLE_PREFIX%STORE WHERE NAME = 'schema-version'";

    private JdbcSchema() {
    }

    /**
     * Creates the store's tables unless they exist (the script runs only where they are missing), and upgrades
     * tables of earlier versions.
     */
    public static void initialize(DataSource dataSource, JdbcPlatform platform, String tablePrefix) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        String version = tableExists(dataSource, tablePrefix + "STORE") ? version(jdbc, tablePrefix) : null;
        if (version == null) {
            run(dataSource, platform.schemaLocation(), tablePrefix);
        }
        else {
            upgrade(dataSource, jdbc, tablePrefix, version);
        }
    }

    /** Takes tables of an earlier version up to {@link #VERSION}, one script at a time. */
    private static void upgrade(DataSource dataSource, JdbcClient jdbc, String tablePrefix, String version) {
        @Nullable String current = version;
        while (current != null && UPGRADES.containsKey(current)) {
            try {
                run(dataSource, UPGRADES.get(current), tablePrefix);
            }
            catch (DataAccessException ex) {
                // Another instance upgraded the tables at the same time.
                if (current.equals(version(jdbc, tablePrefix))) {
                    throw ex;
                }
            }
            current = version(jdbc, tablePrefix);
        }
    }

    private static void run(DataSource dataSource, String location, String tablePrefix) {
        String script;
        try (InputStream in = new ClassPathResource(location).getInputStream()) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("%TABLE_PREFIX%", tablePrefix);
        }
        catch (IOException ex) {
            throw new IllegalStateException("Could not read " + location, ex);
        }
        new ResourceDatabasePopulator(new ByteArrayResource(script.getBytes(StandardCharsets.UTF_8)))
            .execute(dataSource);
    }

    /**
     * Checks that the tables exist and are of the version this code expects.
     * @throws IllegalStateException naming what is missing and how to create it
     */
    static void verify(JdbcClient jdbc, JdbcPlatform platform, String tablePrefix) {
        String version = version(jdbc, tablePrefix);
        if (version == null) {
            throw new IllegalStateException("The session store's tables (" + tablePrefix + "SESSIONS, " + tablePrefix
                    + "EVENTS, " + tablePrefix + "STORE…) are missing. Set mcp.session.store.jdbc.initialize-schema=always, "
                    + "or apply the migrations in classpath:db/migration/mcp-session/" + platform.id()
                    + " (Flyway: spring.flyway.locations=classpath:db/migration/mcp-session/{vendor}).");
        }
        if (!VERSION.equals(version)) {
            throw new IllegalStateException("The session store's tables (" + tablePrefix + "*) are of schema version "
                    + version + "; this version of mcp-session reads version " + VERSION + ".");
        }
    }

    /**
     * Whether the database's metadata lists the table, so that a fresh database is recognized without a failing
     * query (which some drivers log as an error). Names are matched as the database stores unquoted ones.
     */
    private static boolean tableExists(DataSource dataSource, String table) {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            String name = metaData.storesLowerCaseIdentifiers() ? table.toLowerCase(Locale.ROOT)
                    : metaData.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
            try (ResultSet tables = metaData.getTables(connection.getCatalog(), null, name, null)) {
                return tables.next();
            }
        }
        catch (SQLException ex) {
            // Ask the table itself.
            return true;
        }
    }

    /** The schema version the tables record, {@code "none"} when the row is missing, {@code null} without tables. */
    private static @Nullable String version(JdbcClient jdbc, String tablePrefix) {
        try {
            return jdbc.sql(VERSION_QUERY.replace("%TABLE_PREFIX%", tablePrefix))
                .query(String.class)
                .optional()
                .orElse("none");
        }
        catch (DataAccessException ex) {
            if (JdbcFailures.isUnavailable(ex)) {
                throw new McpSessionException(ErrorCode.STORE_UNAVAILABLE, "The session store is unavailable", ex);
            }
            return null;
        }
    }

}
