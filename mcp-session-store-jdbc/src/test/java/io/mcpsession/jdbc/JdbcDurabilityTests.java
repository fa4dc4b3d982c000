package io.mcpsession.jdbc;

import java.nio.file.Path;
import java.util.Optional;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

class JdbcDurabilityTests {

    @Test
    void anH2FileWithItsDefaultWriteDelayAcknowledgesCommitsBeforeWritingThem(@TempDir Path directory) {
        assertThat(delay("jdbc:h2:file:" + directory.resolve("default").toAbsolutePath())).hasValue(500L);
    }

    @Test
    void anH2FileWithoutWriteDelayIsDurable(@TempDir Path directory) {
        assertThat(delay("jdbc:h2:file:" + directory.resolve("durable").toAbsolutePath() + ";WRITE_DELAY=0"))
            .isEmpty();
    }

    @Test
    void anInMemoryH2HasNothingToLoseToADelay() {
        assertThat(delay("jdbc:h2:mem:durability-" + System.nanoTime())).isEmpty();
    }

    @Test
    void otherDatabasesAreNotQuestioned() {
        JdbcDataSource dataSource = new JdbcDataSource();
        assertThat(JdbcDurability.delayedCommits(dataSource, JdbcClient.create(dataSource), JdbcPlatform.SQLITE))
            .isEmpty();
    }

    private static Optional<Long> delay(String url) {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL(url);
        return JdbcDurability.delayedCommits(dataSource, JdbcClient.create(dataSource), JdbcPlatform.H2);
    }

}
