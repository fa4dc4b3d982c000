package io.mcpsession.tck;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionPage;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.core.StatePage;
import io.mcpsession.store.FeedListener;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.Subscription;
import io.mcpsession.store.SweepResult;

/**
 * A store that hands every call to another: the base of a store that adds a concern to another one (auditing,
 * encryption at rest) by overriding the calls it changes, and of the kit's deliberately broken stores.
 */
public abstract class ForwardingSessionStore implements SessionStore {

    protected final SessionStore delegate;

    protected ForwardingSessionStore(SessionStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public String type() {
        return this.delegate.type();
    }

    @Override
    public Session create(NewSession session) {
        return this.delegate.create(session);
    }

    @Override
    public Optional<Session> find(String sessionId) {
        return this.delegate.find(sessionId);
    }

    @Override
    public Session update(String sessionId, SessionPatch patch) {
        return this.delegate.update(sessionId, patch);
    }

    @Override
    public boolean delete(String sessionId) {
        return this.delegate.delete(sessionId);
    }

    @Override
    public SessionPage list(@Nullable String after, int limit) {
        return this.delegate.list(after, limit);
    }

    @Override
    public SessionPage list(@Nullable String after, int limit, @Nullable String principal) {
        return this.delegate.list(after, limit, principal);
    }

    @Override
    public Session touch(String sessionId) {
        return this.delegate.touch(sessionId);
    }

    @Override
    public Optional<String> getState(String sessionId, String key) {
        return this.delegate.getState(sessionId, key);
    }

    @Override
    public Map<String, String> getAllState(String sessionId) {
        return this.delegate.getAllState(sessionId);
    }

    @Override
    public long countSessions() {
        return this.delegate.countSessions();
    }

    @Override
    public StatePage readState(String sessionId, @Nullable String after, int limit) {
        return this.delegate.readState(sessionId, after, limit);
    }

    @Override
    public void putState(String sessionId, String key, String jsonValue) {
        this.delegate.putState(sessionId, key, jsonValue);
    }

    @Override
    public boolean removeState(String sessionId, String key) {
        return this.delegate.removeState(sessionId, key);
    }

    @Override
    public AppendResult append(String sessionId, NewEvent event) {
        return this.delegate.append(sessionId, event);
    }

    @Override
    public List<AppendResult> appendAll(String sessionId, List<NewEvent> events) {
        return this.delegate.appendAll(sessionId, events);
    }

    @Override
    public EphemeralEvent publishEphemeral(String sessionId, NewEvent event) {
        return this.delegate.publishEphemeral(sessionId, event);
    }

    @Override
    public EventPage read(String sessionId, EventQuery query) {
        return this.delegate.read(sessionId, query);
    }

    @Override
    public LogPosition position(String sessionId) {
        return this.delegate.position(sessionId);
    }

    @Override
    public void deleteBefore(String sessionId, long before) {
        this.delegate.deleteBefore(sessionId, before);
    }

    @Override
    public FeedPage readFeed(FeedQuery query) {
        return this.delegate.readFeed(query);
    }

    @Override
    public Subscription subscribe(String sessionId, SessionListener listener) {
        return this.delegate.subscribe(sessionId, listener);
    }

    @Override
    public Subscription subscribeFeed(FeedListener listener) {
        return this.delegate.subscribeFeed(listener);
    }

    @Override
    public SweepResult sweep() {
        return this.delegate.sweep();
    }

    @Override
    public void close() {
        this.delegate.close();
    }

}
