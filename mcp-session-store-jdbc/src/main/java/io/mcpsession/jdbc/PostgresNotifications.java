package io.mcpsession.jdbc;

import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * PostgreSQL LISTEN/NOTIFY between the instances that share the store's tables.
 * <p>
 * Sending: changes are announced after their commit, never inside the transaction (a NOTIFY there would
 * serialize every commit on PostgreSQL's notification queue). One sender thread sends what has collected in a
 * map: at once when it last sent {@value #GATHER_MILLIS} ms ago or more (a lone append is announced without
 * delay), else when that much time has passed since, so an instance sends at most one {@code pg_notify} per
 * {@value #GATHER_MILLIS} ms however many appends it makes.
 * <p>
 * Receiving: one connection per instance, taken from the data source and held, waits in
 * {@link PGConnection#getNotifications(int)} on one daemon thread (a blocking read, no polling) and hands what
 * arrives to the receiver. When the connection fails, the thread takes a new one with a growing back-off, and
 * the receiver checks every position once it listens again.
 */
final class PostgresNotifications implements JdbcNotifications {

    private static final System.Logger logger = System.getLogger(PostgresNotifications.class.getName());

    /** How long one wait for notifications lasts; after a quiet wait the connection is checked. */
    private static final int WAIT_MILLIS = 10_000;

    private static final long MAX_BACKOFF_MILLIS = 5_000;

    /** How long changes collect before they are sent together. */
    static final long GATHER_MILLIS = 5;

    private static final long GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(GATHER_MILLIS);

    /** When the last send began ({@link System#nanoTime()}); written by the sender thread only. */
    private volatile long lastSend = System.nanoTime() - GATHER_NANOS;

    private static final String NOTIFY = "SELECT pg_notify(?, ?)";

    private final DataSource dataSource;

    private final JdbcTemplate jdbc;

    private final String channel;

    /** Sent by this instance to wake its own listener when it closes; other instances skip it. */
    private final String stopPayload = "!stop-" + UUID.randomUUID();

    private final Map<String, Long> pendingSessions = new ConcurrentHashMap<>();

    private final AtomicLong pendingFeed = new AtomicLong(-1);

    private final AtomicBoolean sendScheduled = new AtomicBoolean();

    private final ScheduledExecutorService sender;

    private final CountDownLatch stopped = new CountDownLatch(1);

    private volatile boolean listening;

    /** Whether the listener thread's last connection got as far as listening (only that thread reads it). */
    private boolean listened;

    /** Whether a failure was reported, so that listening again is reported too (listener thread only). */
    private boolean recovering;

    private volatile Receiver receiver;

    private Thread listener;

    PostgresNotifications(DataSource dataSource, String tablePrefix) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
        this.channel = channel(tablePrefix);
        this.sender = Executors.newSingleThreadScheduledExecutor(
                (runnable) -> daemon(runnable, "mcp-session-jdbc-notify"));
    }

    /** The channel of the tables of {@code tablePrefix}: the same for every spelling PostgreSQL folds together. */
    static String channel(String tablePrefix) {
        StringBuilder channel = new StringBuilder("mcp_session_");
        for (char c : tablePrefix.toLowerCase(Locale.ROOT).toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') {
                channel.append(c);
            }
            else {
                channel.append('x').append(Integer.toHexString(c));
            }
        }
        if (channel.length() > 63) {
            String hash = Integer.toHexString(channel.toString().hashCode());
            channel.setLength(62 - hash.length());
            channel.append('_').append(hash);
        }
        return channel.toString();
    }

    @Override
    public void start(Receiver receiver) {
        this.receiver = receiver;
        this.listener = daemon(this::listen, "mcp-session-jdbc-listen");
        this.listener.start();
    }

    @Override
    public void sessionChanged(String sessionId, long latest) {
        this.pendingSessions.merge(sessionId, latest, Math::max);
        scheduleSend();
    }

    @Override
    public void feedMoved(long latest) {
        this.pendingFeed.accumulateAndGet(latest, Math::max);
        scheduleSend();
    }

    @Override
    public boolean listening() {
        return this.listening;
    }

    private void scheduleSend() {
        if (this.sendScheduled.compareAndSet(false, true)) {
            long sinceLastSend = System.nanoTime() - this.lastSend;
            try {
                this.sender.schedule(this::send, Math.max(0, GATHER_NANOS - sinceLastSend), TimeUnit.NANOSECONDS);
            }
            catch (RuntimeException ex) {
                // Closed: nobody is left to announce to from here.
            }
        }
    }

    /** Sends everything collected so far; what arrives meanwhile waits for the next round. */
    private void send() {
        // Stamped before the flag opens, so the next round is timed from this one.
        this.lastSend = System.nanoTime();
        this.sendScheduled.set(false);
        Map<String, Long> sessions = new HashMap<>();
        for (String id : this.pendingSessions.keySet()) {
            Long latest = this.pendingSessions.remove(id);
            if (latest != null) {
                sessions.put(id, latest);
            }
        }
        long feedLatest = this.pendingFeed.getAndSet(-1);
        List<String> payloads = NotifyPayload.encode(sessions, feedLatest);
        try {
            for (String payload : payloads) {
                notify(payload);
            }
        }
        catch (RuntimeException ex) {
            logger.log(Level.DEBUG, "Sending a notification failed; the other instances' position checks catch up", ex);
        }
    }

    private void notify(String payload) {
        this.jdbc.query(NOTIFY, (rs) -> null, this.channel, payload);
    }

    private void listen() {
        long backoff = 0;
        while (this.stopped.getCount() > 0) {
            try (Connection connection = this.dataSource.getConnection()) {
                listenOn(connection);
            }
            catch (SQLException | RuntimeException ex) {
                if (this.stopped.getCount() == 0) {
                    return;
                }
                if (this.listened || backoff == 0) {
                    logger.log(Level.WARNING, "Listening for the other instances' changes failed; retrying "
                            + "(meanwhile the position check wakes readers)", ex);
                    this.recovering = true;
                }
                else {
                    logger.log(Level.DEBUG, "Listening for the other instances' changes failed again", ex);
                }
            }
            backoff = this.listened ? 100 : Math.min(MAX_BACKOFF_MILLIS, Math.max(100, backoff * 2));
            this.listened = false;
            try {
                this.stopped.await(backoff, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    private void listenOn(Connection connection) throws SQLException {
        connection.setAutoCommit(true);
        PGConnection notifications = connection.unwrap(PGConnection.class);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN \"" + this.channel + "\"");
        }
        try {
            this.listening = true;
            this.listened = true;
            logger.log(this.recovering ? Level.INFO : Level.DEBUG, "Listening on channel {0}", this.channel);
            this.recovering = false;
            this.receiver.resumed();
            while (this.stopped.getCount() > 0) {
                PGNotification[] arrived = notifications.getNotifications(WAIT_MILLIS);
                if (arrived != null && arrived.length > 0) {
                    deliver(arrived);
                }
                else if (!connection.isValid(WAIT_MILLIS / 1000)) {
                    throw new SQLException("The listening connection stopped answering");
                }
            }
        }
        finally {
            this.listening = false;
            unlisten(connection);
        }
    }

    private void deliver(PGNotification[] arrived) {
        Map<String, Long> sessions = new HashMap<>();
        long feedLatest = -1;
        for (PGNotification notification : arrived) {
            if (this.channel.equals(notification.getName())) {
                feedLatest = Math.max(feedLatest, NotifyPayload.decode(notification.getParameter(), sessions));
            }
        }
        if (!sessions.isEmpty() || feedLatest >= 0) {
            try {
                this.receiver.hinted(sessions, feedLatest);
            }
            catch (RuntimeException ex) {
                logger.log(Level.DEBUG, "Handling a notification failed; the position check catches up", ex);
            }
        }
    }

    /** Leaves the channel before the connection goes back to its pool, so it collects no notifications there. */
    private void unlisten(Connection connection) {
        try (Statement statement = connection.createStatement()) {
            statement.execute("UNLISTEN *");
        }
        catch (SQLException | RuntimeException ex) {
            // A broken connection listens no more either.
        }
    }

    @Override
    public void close() {
        this.stopped.countDown();
        this.sender.shutdown();
        Thread thread = this.listener;
        if (thread == null) {
            return;
        }
        if (this.listening) {
            try {
                notify(this.stopPayload);
            }
            catch (RuntimeException ex) {
                // The wait ends by itself within WAIT_MILLIS.
            }
        }
        try {
            this.sender.awaitTermination(1, TimeUnit.SECONDS);
            thread.join(2_000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

}
