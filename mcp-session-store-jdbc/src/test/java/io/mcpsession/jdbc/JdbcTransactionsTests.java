package io.mcpsession.jdbc;

import javax.sql.DataSource;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The isolation each kind of transaction really runs at on the databases with row locks: reads see one
 * snapshot (a page and the position it was planned from agree), writes see what others committed.
 */
class JdbcTransactionsTests {

    @ParameterizedTest
    @EnumSource(value = JdbcPlatform.class, names = { "POSTGRESQL", "MARIADB" })
    void readsAreRepeatableAndWritesReadCommitted(JdbcPlatform platform) {
        DataSource dataSource = TestDatabases.dataSource(platform);
        JdbcTransactions transactions = new JdbcTransactions(dataSource, platform);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        String query = (platform == JdbcPlatform.POSTGRESQL) ? "SHOW transaction_isolation"
                : "SELECT @@tx_isolation";

        String read = transactions.read(() -> jdbc.queryForObject(query, String.class));
        String write = transactions.write(() -> jdbc.queryForObject(query, String.class));
        String afterwards = jdbc.queryForObject(query, String.class);

        assertThat(read).isIn("repeatable read", "REPEATABLE-READ");
        assertThat(write).isIn("read committed", "READ-COMMITTED");
        assertThat(afterwards).isNotNull();
    }

}
