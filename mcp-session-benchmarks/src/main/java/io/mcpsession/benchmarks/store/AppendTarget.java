package io.mcpsession.benchmarks.store;

/**
 * What the append benchmark drives: a store through its API, or the raw engine underneath doing the same work
 * (the baseline). Both are measured in the same run, so that every figure is a ratio.
 */
public interface AppendTarget extends AutoCloseable {

    /** Creates a session to append to; called before measuring. */
    void createSession(String sessionId);

    /**
     * Appends one event, or finds the original of a duplicate id.
     * @return the event's seq (of the original, for a duplicate), so the work cannot be optimised away
     */
    long append(String sessionId, String eventId, String type, String data);

    /**
     * Reads every retained event of a session, oldest first, through the target's read path.
     * @return how many events were read
     */
    long readAll(String sessionId);

    @Override
    void close();

}
