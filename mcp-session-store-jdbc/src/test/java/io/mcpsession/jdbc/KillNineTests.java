package io.mcpsession.jdbc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.NewSession;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.tck.FeedChecks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * A process appending from several threads is killed with SIGKILL ({@link ProcessHandle#destroyForcibly()}) in
 * the middle of its appends; a fresh store over the same database then holds every event the dead process
 * acknowledged, with its seq and id, in a log contiguous from 1, and its feed holds one entry for each of them in
 * a contiguous order (entries committed but not yet numbered when the process died are numbered by the fresh
 * store).
 */
@Timeout(180)
class KillNineTests {

    private static final String SESSION = "durable";

    private static final int ACKNOWLEDGED_BEFORE_KILL = 400;

    private static final int THREADS = 4;

    /** With H2's default WRITE_DELAY of 500 ms, commits wait in memory and die with the process (the store warns). */
    @Test
    void anH2FileLosesNothingAcknowledged(@TempDir Path directory) throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve("sessions").toAbsolutePath()
                + ";AUTO_SERVER=FALSE;WRITE_DELAY=0";
        survivesKillNine(JdbcPlatform.H2, url);
    }

    @Test
    void aSqliteFileLosesNothingAcknowledged(@TempDir Path directory) throws Exception {
        String url = "jdbc:sqlite:" + directory.resolve("sessions.db").toAbsolutePath()
                + "?journal_mode=WAL&busy_timeout=10000";
        survivesKillNine(JdbcPlatform.SQLITE, url);
    }

    @Test
    void postgresqlLosesNothingAcknowledged() throws Exception {
        survivesKillNine(JdbcPlatform.POSTGRESQL, TestDatabases.jdbcUrl(JdbcPlatform.POSTGRESQL));
    }

    @Test
    void mariadbLosesNothingAcknowledged() throws Exception {
        survivesKillNine(JdbcPlatform.MARIADB, TestDatabases.jdbcUrl(JdbcPlatform.MARIADB));
    }

    private void survivesKillNine(JdbcPlatform platform, String url) throws Exception {
        String prefix = TestDatabases.newTablePrefix();
        try (HikariDataSource dataSource = pool(url)) {
            JdbcSchema.initialize(dataSource, platform, prefix);
            JdbcSessionStore store = store(dataSource, prefix);
            store.create(NewSession.withId(SESSION));
            store.close();
        }
        try {
            Map<Long, String> acknowledged = appendUntilKilled(url, prefix);

            try (HikariDataSource dataSource = pool(url)) {
                JdbcSessionStore store = store(dataSource, prefix);
                List<EventRecord> events = readAll(store);
                // The feed may number what the dead process committed only now, after the fact.
                await().atMost(Duration.ofSeconds(60))
                    .until(() -> FeedChecks.holdsEvery(store, Map.of(SESSION, acknowledged)));
                Map<Long, String> fed = FeedChecks.appendedEventIds(FeedChecks.readWholeFeed(store))
                    .getOrDefault(SESSION, Map.of());
                store.close();
                long last = events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
                assertThat(events).extracting(EventRecord::seq)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, last).boxed().toList());
                Map<Long, String> stored = new HashMap<>();
                events.forEach((event) -> stored.put(event.seq(), event.id()));
                assertThat(stored).containsAllEntriesOf(acknowledged);
                assertThat(fed).as("one feed entry for each stored event, none for anything else").isEqualTo(stored);
                System.out.printf("kill -9 on %s: %d appends acknowledged, %d events stored, contiguous 1..%d%n",
                        platform.id(), acknowledged.size(), events.size(), last);
            }
        }
        finally {
            if (!platform.embedded()) {
                TestDatabases.dropTables(TestDatabases.dataSource(platform), prefix);
            }
        }
    }

    /** Runs {@link AppendingProcess}, kills it once enough appends were acknowledged, and returns them all. */
    private Map<Long, String> appendUntilKilled(String url, String prefix) throws Exception {
        Path errors = Files.createTempFile("appending-process", ".err");
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), AppendingProcess.class.getName(), url, prefix, SESSION,
                Integer.toString(THREADS))
            .redirectError(errors.toFile())
            .start();
        Map<Long, String> acknowledged = new HashMap<>();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            while (acknowledged.size() < ACKNOWLEDGED_BEFORE_KILL) {
                String line = out.readLine();
                if (line == null) {
                    fail("The appending process ended before it was killed: " + Files.readString(errors));
                }
                record(line, acknowledged);
            }
            // SIGKILL, as Process.destroyForcibly() sends, through the handle: it leaves the pipe open to read.
            assertThat(process.toHandle().destroyForcibly()).isTrue();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            // What it printed before it died was acknowledged too.
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                record(line, acknowledged);
            }
        }
        finally {
            process.destroyForcibly();
            Files.deleteIfExists(errors);
        }
        assertThat(process.exitValue()).as("killed by SIGKILL").isEqualTo(137);
        return acknowledged;
    }

    /** Records a complete acknowledgement line; a line cut off by the kill ends without its final {@code " ."}. */
    private static void record(String line, Map<Long, String> acknowledged) {
        String[] parts = line.split(" ");
        if (parts.length == 4 && parts[0].equals("ack") && parts[3].equals(".")) {
            String earlier = acknowledged.put(Long.parseLong(parts[1]), parts[2]);
            assertThat(earlier).as("seq %s acknowledged twice", parts[1]).isNull();
        }
    }

    private static List<EventRecord> readAll(JdbcSessionStore store) {
        List<EventRecord> events = new ArrayList<>();
        long after = 0;
        while (true) {
            EventPage page = store.read(SESSION, EventQuery.after(after).withLimit(1000));
            events.addAll(page.events());
            if (page.nextCursor() >= page.latest()) {
                return events;
            }
            after = page.nextCursor();
        }
    }

    private static JdbcSessionStore store(HikariDataSource dataSource, String prefix) {
        return new JdbcSessionStore(dataSource, StoreSettings.defaults(), Clock.systemUTC(), prefix,
                Duration.ofSeconds(1));
    }

    private static HikariDataSource pool(String url) throws IOException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

}
