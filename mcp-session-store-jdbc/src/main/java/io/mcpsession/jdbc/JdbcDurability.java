package io.mcpsession.jdbc;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Warns at start-up where the database would acknowledge a commit before writing it. H2 keeps committed changes
 * of a file database in memory for {@code WRITE_DELAY} ms (500 by default): a process killed in that window loses
 * events the store acknowledged, which the contract forbids ({@code 201} means durable). The store leaves the
 * database's settings alone and says what to add to the URL.
 */
final class JdbcDurability {

    private static final System.Logger logger = System.getLogger(JdbcDurability.class.getName());

    private static final String H2_WRITE_DELAY = """
            SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS WHERE SETTING_NAME = 'WRITE_DELAY'
            """;

    private JdbcDurability() {
    }

    /** The delay in ms between an acknowledged commit and its write, where it is not 0. */
    static Optional<Long> delayedCommits(DataSource dataSource, JdbcClient jdbc, JdbcPlatform platform) {
        if (platform != JdbcPlatform.H2 || inMemory(dataSource)) {
            return Optional.empty();
        }
        try {
            return jdbc.sql(H2_WRITE_DELAY).query(String.class).optional().map(Long::parseLong)
                .filter((delay) -> delay > 0);
        }
        catch (DataAccessException | NumberFormatException ex) {
            return Optional.empty();
        }
    }

    static void warnIfDelayed(DataSource dataSource, JdbcClient jdbc, JdbcPlatform platform) {
        delayedCommits(dataSource, jdbc, platform).ifPresent((delay) -> logger.log(Level.WARNING,
                "The H2 database writes commits up to {0} ms after acknowledging them, so a process killed in that "
                        + "window loses acknowledged events; add ;WRITE_DELAY=0 to its URL",
                delay));
    }

    private static boolean inMemory(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            return connection.getMetaData().getURL().contains(":mem:");
        }
        catch (SQLException ex) {
            return false;
        }
    }

}
