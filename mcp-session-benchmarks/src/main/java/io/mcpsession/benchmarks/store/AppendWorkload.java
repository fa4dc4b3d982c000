package io.mcpsession.benchmarks.store;

/**
 * One caller's stream of appends: which session, and which event id, with one append in
 * {@value #DUPLICATE_EVERY} repeating the id this caller last appended to that session (a retried request).
 * Deterministic, so that the store and its baseline do exactly the same work. Not thread-safe: one per caller.
 */
public final class AppendWorkload {

    /** One append in this many is a duplicate: 1%. */
    public static final int DUPLICATE_EVERY = 100;

    /** The payload of every event: a small JSON object, as a chat message or a progress update would be. */
    public static final String DATA = "{\"text\":\"The quick brown fox jumps over the lazy dog\",\"n\":42}";

    public static final String TYPE = "message";

    private final String prefix;

    private final int sessions;

    private final String[] lastIds;

    private final int offset;

    private long count;

    private int session;

    /**
     * @param caller this caller's number, unique among the callers of one run
     * @param sessions how many sessions the run spreads appends over
     */
    public AppendWorkload(int caller, int sessions) {
        this.prefix = "c" + caller + "-";
        this.sessions = sessions;
        this.lastIds = new String[sessions];
        this.offset = caller;
    }

    /** The id of session number {@code index}. */
    public static String sessionId(int index) {
        return "bench-session-" + index;
    }

    /** Moves to the next append; then {@link #session()} and {@link #eventId()} describe it. */
    public void next() {
        this.count++;
        this.session = (int) ((this.count * 7919 + this.offset) % this.sessions);
    }

    /** The session index of the current append. */
    public int session() {
        return this.session;
    }

    /** The event id of the current append: fresh, or (1%) the one this caller last appended there. */
    public String eventId() {
        String last = this.lastIds[this.session];
        if (last != null && this.count % DUPLICATE_EVERY == 0) {
            return last;
        }
        String id = this.prefix + this.count;
        this.lastIds[this.session] = id;
        return id;
    }

}
