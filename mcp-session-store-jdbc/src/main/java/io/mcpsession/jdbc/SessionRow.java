package io.mcpsession.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import io.mcpsession.core.LogPosition;
import io.mcpsession.core.Session;

/**
 * A row of {@code <prefix>SESSIONS}: the session and its log's position.
 *
 * @param session the session
 * @param epoch the epoch of its log
 * @param lastSeq the highest seq assigned
 * @param earliestRetained the lowest seq retained
 */
record SessionRow(Session session, String epoch, long lastSeq, long earliestRetained) {

    /** The columns {@link #map(ResultSet, int)} reads, in order. */
    static final String COLUMNS = "ID, CREATED_AT, LAST_ACTIVITY, EXPIRES_AT, INITIALIZED, CLIENT_CAPABILITIES, "
            + "SERVER_CAPABILITIES, PROTOCOL_VERSION, METADATA, PRINCIPAL, EPOCH, LAST_SEQ, EARLIEST_RETAINED";

    static SessionRow map(ResultSet rs, int row) throws SQLException {
        Session session = new Session(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)),
                Instant.ofEpochMilli(rs.getLong(3)), Instant.ofEpochMilli(rs.getLong(4)), rs.getBoolean(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10));
        return new SessionRow(session, rs.getString(11), rs.getLong(12), rs.getLong(13));
    }

    boolean isExpired(Instant now) {
        return this.session.isExpired(now);
    }

    LogPosition position() {
        return new LogPosition(this.lastSeq, this.earliestRetained, this.epoch);
    }

    int retained() {
        return (int) (this.lastSeq - this.earliestRetained + 1);
    }

}
