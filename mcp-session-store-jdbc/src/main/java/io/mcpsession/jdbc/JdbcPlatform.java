package io.mcpsession.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

import javax.sql.DataSource;

/**
 * The databases the JDBC store runs on, and the little SQL that differs between them. Everything else is
 * portable SQL. MySQL is not among them: MariaDB is the tested one of that family.
 */
public enum JdbcPlatform {

    POSTGRESQL("postgresql", " FOR UPDATE", """
            INSERT INTO %TABLE_PREFIX%SESSION_STATE (SESSION_ID, STATE_KEY, STATE_VALUE) VALUES (?, ?, ?)
            ON CONFLICT (SESSION_ID, STATE_KEY) DO UPDATE SET STATE_VALUE = EXCLUDED.STATE_VALUE
            """),

    MARIADB("mariadb", " FOR UPDATE", """
            INSERT INTO %TABLE_PREFIX%SESSION_STATE (SESSION_ID, STATE_KEY, STATE_VALUE) VALUES (?, ?, ?)
            ON DUPLICATE KEY UPDATE STATE_VALUE = VALUES(STATE_VALUE)
            """),

    H2("h2", " FOR UPDATE", """
            MERGE INTO %TABLE_PREFIX%SESSION_STATE (SESSION_ID, STATE_KEY, STATE_VALUE) KEY (SESSION_ID, STATE_KEY)
            VALUES (?, ?, ?)
            """),

    /** One writer at a time: the store serializes its write transactions in process instead of locking rows. */
    SQLITE("sqlite", "", """
            INSERT INTO %TABLE_PREFIX%SESSION_STATE (SESSION_ID, STATE_KEY, STATE_VALUE) VALUES (?, ?, ?)
            ON CONFLICT (SESSION_ID, STATE_KEY) DO UPDATE SET STATE_VALUE = EXCLUDED.STATE_VALUE
            """);

    private final String id;

    private final String forUpdate;

    private final String upsertState;

    JdbcPlatform(String id, String forUpdate, String upsertState) {
        this.id = id;
        this.forUpdate = forUpdate;
        this.upsertState = upsertState;
    }

    /** The platform's name in resource names: {@code schema-<id>.sql}. */
    public String id() {
        return this.id;
    }

    /** The clause that locks the rows a SELECT reads ({@code ""} where the database has one writer). */
    String forUpdate() {
        return this.forUpdate;
    }

    /** Writes one state value: an upsert of one row, never a read-modify-write of the map. */
    String upsertState() {
        return this.upsertState;
    }

    /** The size of a text column in bytes, 0 for {@code NULL}: what a page budget counts. */
    String octetLength(String column) {
        return (this == SQLITE) ? "COALESCE(LENGTH(CAST(" + column + " AS BLOB)), 0)"
                : "COALESCE(OCTET_LENGTH(" + column + "), 0)";
    }

    /** Whether the database allows one writer at a time, so writes are serialized in process. */
    boolean singleWriter() {
        return this == SQLITE;
    }

    /** Whether the database runs inside the application (its schema is created by {@code embedded}). */
    public boolean embedded() {
        return this == H2 || this == SQLITE;
    }

    /** The classpath location of this platform's schema script. */
    public String schemaLocation() {
        return "io/mcpsession/jdbc/schema-" + this.id + ".sql";
    }

    /**
     * The platform of a data source, from its connection's metadata.
     * @throws IllegalStateException for a database the store does not support
     */
    public static JdbcPlatform of(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            return of(metaData.getDatabaseProductName(), metaData.getDatabaseProductVersion());
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Could not tell which database the session store uses", ex);
        }
    }

    static JdbcPlatform of(String productName, String productVersion) {
        String name = productName.toLowerCase(Locale.ROOT);
        if (name.contains("postgres")) {
            return POSTGRESQL;
        }
        if (name.contains("mariadb") || productVersion.toLowerCase(Locale.ROOT).contains("mariadb")) {
            return MARIADB;
        }
        if (name.contains("mysql")) {
            // No MySQL server runs where this project is tested, and a dialect nobody runs is a promise we cannot keep.
            throw new IllegalStateException("The JDBC session store is tested on MariaDB, not on MySQL: use MariaDB, "
                    + "PostgreSQL, H2 or SQLite");
        }
        if (name.contains("h2")) {
            return H2;
        }
        if (name.contains("sqlite")) {
            return SQLITE;
        }
        throw new IllegalStateException("The JDBC session store does not support " + productName
                + " (it runs on PostgreSQL, MariaDB, H2 and SQLite)");
    }

}
