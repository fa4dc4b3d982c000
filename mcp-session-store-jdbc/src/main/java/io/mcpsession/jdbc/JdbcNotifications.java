package io.mcpsession.jdbc;

import java.util.Map;

/**
 * A wake-up bus between the instances that share the store's tables: changes committed here are announced to
 * the others, and their announcements arrive here. An announcement is a hint only (it names what to re-read),
 * so a lost one costs latency until the next position check, never correctness.
 */
interface JdbcNotifications extends AutoCloseable {

    /** No bus: instances see each other's changes through the position check alone. */
    JdbcNotifications NONE = new JdbcNotifications() {

        @Override
        public void start(Receiver receiver) {
        }

        @Override
        public void sessionChanged(String sessionId, long latest) {
        }

        @Override
        public void feedMoved(long latest) {
        }

        @Override
        public boolean listening() {
            return false;
        }

        @Override
        public void close() {
        }

    };

    /** What arrives from the bus. */
    interface Receiver {

        /**
         * Sessions that changed elsewhere, each with the latest seq it reached ({@link Long#MAX_VALUE} when it
         * was removed or its position is unknown), and the feed's latest seq ({@code -1} when not named).
         */
        void hinted(Map<String, Long> sessions, long feedLatest);

        /** The bus (re)connected: whatever was announced while it was down is lost, so check everything now. */
        void resumed();

    }

    /** Starts listening; hints and reconnections go to {@code receiver}. */
    void start(Receiver receiver);

    /** Announces, after its commit, that a session reached {@code latest} (or was removed: {@link Long#MAX_VALUE}). */
    void sessionChanged(String sessionId, long latest);

    /** Announces, after its commit, that the feed was numbered up to {@code latest}. */
    void feedMoved(long latest);

    /** Whether announcements of the other instances reach this one now. */
    boolean listening();

    @Override
    void close();

}
