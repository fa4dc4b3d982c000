package com.example.store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.mcpsession.core.AppendResult;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.store.SessionStore;
import io.mcpsession.tck.ForwardingSessionStore;

/**
 * A store as a third party writes one, outside the project's packages and against the public SPI alone: it keeps
 * its data in another store and counts the writes it passes on, as a store that adds a concern (auditing,
 * encryption at rest, a quota of its own) would. Its contract test shows that the kit runs from the outside.
 */
public final class AuditedSessionStore extends ForwardingSessionStore {

    private final Map<String, LongAdder> writes = new ConcurrentHashMap<>();

    public AuditedSessionStore(SessionStore delegate) {
        super(delegate);
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
        return super.create(session);
    }

    @Override
    public Session update(String sessionId, SessionPatch patch) {
        audit("update");
        return super.update(sessionId, patch);
    }

    @Override
    public boolean delete(String sessionId) {
        audit("delete");
        return super.delete(sessionId);
    }

    @Override
    public void putState(String sessionId, String key, String jsonValue) {
        audit("putState");
        super.putState(sessionId, key, jsonValue);
    }

    @Override
    public boolean removeState(String sessionId, String key) {
        audit("removeState");
        return super.removeState(sessionId, key);
    }

    @Override
    public AppendResult append(String sessionId, NewEvent event) {
        audit("append");
        return super.append(sessionId, event);
    }

    @Override
    public List<AppendResult> appendAll(String sessionId, List<NewEvent> events) {
        audit("appendAll");
        return super.appendAll(sessionId, events);
    }

    @Override
    public void deleteBefore(String sessionId, long before) {
        audit("deleteBefore");
        super.deleteBefore(sessionId, before);
    }

}
