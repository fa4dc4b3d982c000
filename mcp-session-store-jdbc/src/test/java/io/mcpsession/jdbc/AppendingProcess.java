package io.mcpsession.jdbc;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.NewEvent;
import io.mcpsession.store.StoreSettings;

/**
 * The process {@link KillNineTests} kills: it opens a store over existing tables and appends to one session from a
 * few threads until it dies, printing {@code ack <seq> <event id> .} for each append the store acknowledged, after
 * the store returned and before the next append.
 * <p>
 * Arguments: JDBC URL, table prefix, session id, number of threads.
 */
public final class AppendingProcess {

    private AppendingProcess() {
    }

    public static void main(String[] args) {
        String url = args[0];
        String prefix = args[1];
        String sessionId = args[2];
        int threads = Integer.parseInt(args[3]);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(threads + 4);
        HikariDataSource dataSource = new HikariDataSource(config);
        JdbcSessionStore store = new JdbcSessionStore(dataSource, StoreSettings.defaults(), Clock.systemUTC(), prefix,
                Duration.ofSeconds(1));
        PrintStream out = System.out;
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread appender = new Thread(() -> {
                for (long n = 0;; n++) {
                    AppendResult result = store.append(sessionId,
                            NewEvent.of("message", "{\"thread\":" + thread + ",\"n\":" + n + "}"));
                    synchronized (out) {
                        out.println("ack " + result.event().seq() + " " + result.event().id() + " .");
                        out.flush();
                    }
                }
            }, "appender-" + t);
            appender.start();
        }
    }

}
