package io.mcpsession.testengines;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The last resorts work on this platform: a machine without the servers and without Docker still runs the
 * PostgreSQL and Redis tests.
 */
class EmbeddedEnginesTests {

    @Test
    void embeddedPostgresAnswersQueries() throws Exception {
        String url = TestPostgres.embedded();

        try (Connection connection = DriverManager.getConnection(url);
                ResultSet result = connection.createStatement().executeQuery("SELECT 40 + 2")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getInt(1)).isEqualTo(42);
        }
    }

    @Test
    void embeddedRedisAnswersPing() {
        URI url = URI.create(TestRedis.embedded());

        assertThat(TestRedis.answersPing(url.getHost(), url.getPort())).isTrue();
    }

    @Test
    void nothingAnswersPingOnAPortWithoutRedis() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
            assertThat(TestRedis.answersPing("127.0.0.1", silent.getLocalPort())).isFalse();
        }
    }

}
