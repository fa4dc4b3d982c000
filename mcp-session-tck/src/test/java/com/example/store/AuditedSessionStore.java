package com.example.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

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
 * A store as a third party writes one, outside the project's packages and against the public SPI alone: it keeps
 * its data in another store and counts the writes it passes on, as a store that adds a concern (auditing,
 * encryption at rest, a quota of its own) would. Its contract test shows that the kit runs from the outside.
 */
public final class AuditedSessionStore implements SessionStore {

    private final SessionStore delegate;

    private final Map<String, LongAdder> writes = new ConcurrentHashMap<>();

    public AuditedSessionStore(SessionStore delegate) {
        this.delegate = delegate;
    }

    /** How many calls of a writing operation this store passed on. */
    public long writes(String operation) {
        LongAdder count = this.writes.get(operation);
        return (count != null) ? count.sum() : 0;
    }

    private void audit(String operation) {
        this.writes.computeIfAbsent(operation, (name) -> new LongAdder()).increment();
    }

    @Override
    public String type() {
        return "audited";
    }

    @Override
    public Session create(NewSession session) {
        audit("create");
        return this.delegate.create(session);
    }

    @Override
    public Optional<Session> find(String sessionId) {
        return this.delegate.find(sessionId);
    }

    @Override
    public Session update(String sessionId, SessionPatch patch) {
        audit("update");
        return this.delegate.update(sessionId, patch);
    }

    @Override
    public boolean delete(String sessionId) {
        audit("delete");
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
    public long countSessions() {
        return this.delegate.countSessions();
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
    public StatePage readState(String sessionId, @Nullable String after, int limit) {
        return this.delegate.readState(sessionId, after, limit);
    }

    @Override
    public void putState(String sessionId, String key, String jsonValue) {
        audit("putState");
        this.delegate.putState(sessionId, key, jsonValue);
    }

    @Override
    public boolean removeState(String sessionId, String key) {
        audit("removeState");
        return this.delegate.removeState(sessionId, key);
    }

    @Override
    public AppendResult append(String sessionId, NewEvent event) {
        audit("append");
        return this.delegate.append(sessionId, event);
    }

    @Override
    public List<AppendResult> appendAll(String sessionId, List<NewEvent> events) {
        audit("appendAll");
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
        audit("deleteBefore");
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
