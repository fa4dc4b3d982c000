package io.mcpsession.benchmarks.store;

import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.Limits;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.store.SessionStore;

/**
 * Appends and reads through the {@link SessionStore} SPI, exactly as the starter's HTTP API and MCP transport do.
 */
public final class StoreApiTarget implements AppendTarget {

    private final SessionStore store;

    private final Runnable afterClose;

    public StoreApiTarget(SessionStore store) {
        this(store, () -> {
        });
    }

    /** @param afterClose what to release once the store is closed, such as the tables or keys it used */
    public StoreApiTarget(SessionStore store, Runnable afterClose) {
        this.store = store;
        this.afterClose = afterClose;
    }

    /** The store under test. */
    public SessionStore store() {
        return this.store;
    }

    @Override
    public void createSession(String sessionId) {
        this.store.create(NewSession.withId(sessionId));
    }

    @Override
    public long append(String sessionId, String eventId, String type, String data) {
        return this.store.append(sessionId, NewEvent.of(eventId, type, data)).event().seq();
    }

    @Override
    public long readAll(String sessionId) {
        long read = 0;
        long after = 0;
        while (true) {
            EventPage page = this.store.read(sessionId, EventQuery.after(after).withLimit(Limits.MAX_READ_LIMIT));
            read += page.events().size();
            if (page.events().isEmpty() || page.nextCursor() >= page.latest()) {
                return read;
            }
            after = page.nextCursor();
        }
    }

    @Override
    public void close() {
        this.store.close();
        this.afterClose.run();
    }

}
