package io.mcpsession.benchmarks.store;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.mcpsession.jdbc.JdbcPlatform;
import io.mcpsession.jdbc.JdbcSchema;
import io.mcpsession.jdbc.JdbcSessionStore;
import io.mcpsession.testengines.TestPostgres;

/**
 * The JDBC store and its baseline on one PostgreSQL, each on tables of its own that are dropped when the target
 * closes. The database comes from {@value #URL_VARIABLE}, else it is the tests' PostgreSQL ({@link TestPostgres}).
 */
public final class JdbcTargets {

    static final String URL_VARIABLE = "MCP_SESSION_BENCH_JDBC_URL";

    /** As the starter's default {@code mcp.session.store.jdbc.poll-interval}. */
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    private static final String[] TABLES = { "EVENTS", "SESSION_STATE", "FEED", "REMOVED_SESSIONS", "STORE",
            "SESSIONS" };

    private JdbcTargets() {
    }

    /**
     * The store through its API.
     * @param listenNotify whether it announces appends to other instances with NOTIFY (one LISTEN connection)
     */
    static AppendTarget store(boolean listenNotify) {
        Tables tables = Tables.create();
        JdbcSessionStore store = new JdbcSessionStore(tables.dataSource, StoreTargets.settings(), Clock.systemUTC(),
                tables.prefix, POLL_INTERVAL, listenNotify);
        return new StoreApiTarget(store, tables::drop);
    }

    /** The same statements through plain JDBC on the same kind of pool. */
    static AppendTarget raw() {
        Tables tables = Tables.create();
        return new RawJdbcEngine(tables.dataSource, tables.prefix, tables::drop);
    }

    /** The benchmark's PostgreSQL, as a JDBC URL. */
    public static String url() {
        return StoreTargets.location(URL_VARIABLE, TestPostgres::jdbcUrl);
    }

    /** Drops the store's tables of one prefix. */
    public static void dropTables(DataSource dataSource, String prefix) {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        for (String table : TABLES) {
            jdbc.execute("DROP TABLE IF EXISTS " + prefix + table);
        }
    }

    /** A fresh table prefix, so that runs never share tables. */
    public static String newTablePrefix() {
        return "BENCH_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + "_";
    }

    /** A pool and a fresh set of the store's tables. */
    private record Tables(HikariDataSource dataSource, String prefix) {

        static Tables create() {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(url());
            // Room for 32 callers, the store's LISTEN connection and its background work.
            config.setMaximumPoolSize(40);
            HikariDataSource dataSource = new HikariDataSource(config);
            String prefix = newTablePrefix();
            JdbcSchema.initialize(dataSource, JdbcPlatform.of(dataSource), prefix);
            return new Tables(dataSource, prefix);
        }

        void drop() {
            dropTables(this.dataSource, this.prefix);
            this.dataSource.close();
        }

    }

}
