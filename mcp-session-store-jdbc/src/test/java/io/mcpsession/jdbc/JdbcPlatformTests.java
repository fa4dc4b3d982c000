package io.mcpsession.jdbc;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Which database a connection's metadata names: the tested ones, and MySQL refused with the way out.
 */
class JdbcPlatformTests {

    @Test
    void theTestedDatabasesAreRecognized() {
        assertThat(JdbcPlatform.of("PostgreSQL", "15.8")).isEqualTo(JdbcPlatform.POSTGRESQL);
        assertThat(JdbcPlatform.of("MariaDB", "10.11.6-MariaDB-0+deb12u1")).isEqualTo(JdbcPlatform.MARIADB);
        assertThat(JdbcPlatform.of("H2", "2.3.232")).isEqualTo(JdbcPlatform.H2);
        assertThat(JdbcPlatform.of("SQLite", "3.50.3")).isEqualTo(JdbcPlatform.SQLITE);
    }

    @Test
    void mariadbThroughMysqlsDriverIsMariadb() {
        assertThat(JdbcPlatform.of("MySQL", "5.5.5-10.11.6-MariaDB-0+deb12u1")).isEqualTo(JdbcPlatform.MARIADB);
    }

    @Test
    void mysqlIsRefusedWithTheTestedAlternatives() {
        assertThatIllegalStateException().isThrownBy(() -> JdbcPlatform.of("MySQL", "8.4.3"))
            .withMessageContaining("MariaDB")
            .withMessageContaining("not on MySQL");
        assertThatIllegalStateException().isThrownBy(() -> JdbcPlatform.of("Oracle", "23ai"))
            .withMessageContaining("does not support Oracle");
    }

}
