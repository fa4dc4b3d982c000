package io.mcpsession.benchmarks.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

/**
 * The baseline of the JDBC store: the statements the store issues for one append, through plain JDBC on a pool
 * of the same size, with nothing around them. In one READ COMMITTED transaction: lock the session's row, look
 * the event id up, insert the event, insert its (unnumbered) feed row, advance the session's counter; commit. A
 * duplicate id commits after the lookup, as the store does. No input checks, no in-process queueing, no feed
 * numbering, no wake-ups.
 */
final class RawJdbcEngine implements AppendTarget {

    private static final long DAY_MILLIS = 86_400_000L;

    private final DataSource dataSource;

    private final Runnable onClose;

    private final String insertSession;

    private final String lockSession;

    private final String eventById;

    private final String insertEvent;

    private final String insertFeed;

    private final String advanceLog;

    private final String readEvents;

    RawJdbcEngine(DataSource dataSource, String prefix, Runnable onClose) {
        this.dataSource = dataSource;
        this.onClose = onClose;
        this.insertSession = "INSERT INTO " + prefix + "SESSIONS (ID, CREATED_AT, LAST_ACTIVITY, EXPIRES_AT, "
                + "INITIALIZED, METADATA, EPOCH, LAST_SEQ, EARLIEST_RETAINED) VALUES (?, ?, ?, ?, FALSE, '{}', ?, 0, 1)";
        this.lockSession = "SELECT EPOCH, LAST_SEQ, EXPIRES_AT FROM " + prefix + "SESSIONS WHERE ID = ? FOR UPDATE";
        this.eventById = "SELECT SEQ FROM " + prefix + "EVENTS WHERE SESSION_ID = ? AND EVENT_ID IN (?)";
        this.insertEvent = "INSERT INTO " + prefix + "EVENTS (SESSION_ID, SEQ, EVENT_ID, EVENT_TYPE, DATA, RUN_ID, "
                + "METADATA, CREATED_AT) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        this.insertFeed = "INSERT INTO " + prefix + "FEED (ENTRY_TYPE, SESSION_ID, CREATED_AT, PAYLOAD) "
                + "VALUES (?, ?, ?, ?)";
        this.advanceLog = "UPDATE " + prefix + "SESSIONS SET LAST_SEQ = ?, LAST_ACTIVITY = ?, EXPIRES_AT = ? "
                + "WHERE ID = ?";
        this.readEvents = "SELECT SEQ, EVENT_ID, EVENT_TYPE, DATA, RUN_ID, METADATA, CREATED_AT FROM " + prefix
                + "EVENTS WHERE SESSION_ID = ? AND SEQ > ? ORDER BY SEQ LIMIT 1000";
    }

    @Override
    public void createSession(String sessionId) {
        long now = System.currentTimeMillis();
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement(this.insertSession)) {
            insert.setString(1, sessionId);
            insert.setLong(2, now);
            insert.setLong(3, now);
            insert.setLong(4, now + DAY_MILLIS);
            insert.setString(5, UUID.randomUUID().toString());
            insert.executeUpdate();
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public long append(String sessionId, String eventId, String type, String data) {
        try (Connection connection = this.dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                long seq = append(connection, sessionId, eventId, type, data);
                connection.commit();
                return seq;
            }
            catch (SQLException | RuntimeException ex) {
                connection.rollback();
                throw ex;
            }
            finally {
                connection.setAutoCommit(true);
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private long append(Connection connection, String sessionId, String eventId, String type, String data)
            throws SQLException {
        String epoch;
        long seq;
        try (PreparedStatement lock = connection.prepareStatement(this.lockSession)) {
            lock.setString(1, sessionId);
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalArgumentException("No session " + sessionId);
                }
                epoch = row.getString(1);
                seq = row.getLong(2) + 1;
            }
        }
        try (PreparedStatement lookup = connection.prepareStatement(this.eventById)) {
            lookup.setString(1, sessionId);
            lookup.setString(2, eventId);
            try (ResultSet original = lookup.executeQuery()) {
                if (original.next()) {
                    return original.getLong(1);
                }
            }
        }
        long now = System.currentTimeMillis();
        try (PreparedStatement insert = connection.prepareStatement(this.insertEvent)) {
            insert.setString(1, sessionId);
            insert.setLong(2, seq);
            insert.setString(3, eventId);
            insert.setString(4, type);
            insert.setString(5, data);
            insert.setString(6, null);
            insert.setString(7, "{}");
            insert.setLong(8, now);
            insert.executeUpdate();
        }
        try (PreparedStatement feed = connection.prepareStatement(this.insertFeed)) {
            feed.setString(1, "event.appended");
            feed.setString(2, sessionId);
            feed.setLong(3, now);
            // The feed row's payload is the event as JSON, as the store writes it.
            feed.setString(4, "{\"sessionId\":\"" + sessionId + "\",\"seq\":" + seq + ",\"id\":\"" + eventId
                    + "\",\"type\":\"" + type + "\",\"data\":" + data + ",\"metadata\":{},\"timestamp\":" + now
                    + ",\"epoch\":\"" + epoch + "\"}");
            feed.executeUpdate();
        }
        try (PreparedStatement advance = connection.prepareStatement(this.advanceLog)) {
            advance.setLong(1, seq);
            advance.setLong(2, now);
            advance.setLong(3, now + DAY_MILLIS);
            advance.setString(4, sessionId);
            advance.executeUpdate();
        }
        return seq;
    }

    @Override
    public long readAll(String sessionId) {
        long read = 0;
        long after = 0;
        try (Connection connection = this.dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(this.readEvents)) {
            while (true) {
                select.setString(1, sessionId);
                select.setLong(2, after);
                int page = 0;
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        after = rows.getLong(1);
                        page++;
                    }
                }
                read += page;
                if (page == 0) {
                    return read;
                }
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public void close() {
        this.onClose.run();
    }

}
