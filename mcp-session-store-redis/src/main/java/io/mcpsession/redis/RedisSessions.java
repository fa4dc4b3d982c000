package io.mcpsession.redis;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.core.script.RedisScript;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.Epochs;
import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.Limits;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.PageBudget;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionIds;
import io.mcpsession.core.SessionPage;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.core.Timestamps;
import io.mcpsession.redis.SessionRegistry.ListOwner;
import io.mcpsession.store.StoreSettings;

/**
 * The sessions themselves: created with a slot in the registry taken first, changed by one script each, and
 * removed from the registry only after their last feed entry is announced.
 */
final class RedisSessions {

    /** How many due sessions a create may sweep to make room when the store is full. */
    private static final int MAKE_ROOM = 1_000;

    private static final int UPDATE_ATTEMPTS = 100;

    private final SessionScripts scripts;

    private final SessionRegistry registry;

    private final RedisSweeper sweeper;

    private final FeedSequencer sequencer;

    private final Fanout listeners;

    private final StoreSettings settings;

    private final Clock clock;

    RedisSessions(SessionScripts scripts, SessionRegistry registry, RedisSweeper sweeper, FeedSequencer sequencer,
            Fanout listeners, StoreSettings settings, Clock clock) {
        this.scripts = scripts;
        this.registry = registry;
        this.sweeper = sweeper;
        this.sequencer = sequencer;
        this.listeners = listeners;
        this.settings = settings;
        this.clock = clock;
    }

    Session create(NewSession request) {
        NewSession checked = this.settings.checkSession(request.checked());
        Instant now = now();
        String id = (checked.id() != null) ? checked.id() : SessionIds.generate(now);
        if (!this.registry.reserve(id, now)) {
            this.sweeper.visitDue(now, MAKE_ROOM);
            if (!this.registry.reserve(id, now)) {
                throw new McpSessionException(ErrorCode.MAX_SESSIONS_REACHED,
                        "The store holds its maximum of " + this.settings.maxSessions() + " sessions");
            }
        }
        Session session = checked.toSession(id, now, this.settings.timeout());
        String token = Epochs.next();
        List<String> args = new ArrayList<>(List.of(Epochs.next(), token));
        args.addAll(RedisRecords.members(session));
        ScriptReply reply = this.scripts.run(RedisScripts.CREATE, id, now, args);
        if (reply.status().equals("exists")) {
            throw new McpSessionException(ErrorCode.SESSION_EXISTS, "Session '" + id + "' already exists");
        }
        boolean replacedExpired = !reply.afterStatus().next().isEmpty();
        this.registry.register(session, token, now);
        announce(id);
        if (replacedExpired) {
            this.listeners.closed(id, CloseReason.EXPIRED);
        }
        return session;
    }

    Optional<Session> find(String sessionId) {
        ScriptReply reply = this.scripts.run(RedisScripts.SESSION_GET, sessionId, now());
        return reply.status().equals("missing") ? Optional.empty()
                : Optional.of(RedisRecords.session(sessionId, reply.afterStatus()));
    }

    Session update(String sessionId, SessionPatch patch) {
        for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
            Instant now = now();
            ScriptReply current = live(RedisScripts.SESSION_GET, sessionId, now);
            Session patched = this.settings.checkSession(patch.applyTo(RedisRecords.session(sessionId, current)));
            skipPosition(current);
            ScriptReply reply = this.scripts.run(RedisScripts.UPDATE, sessionId, now, current.next(),
                    patched.initialized() ? "1" : "0", RedisRecords.orEmpty(patched.clientCapabilities()),
                    RedisRecords.orEmpty(patched.serverCapabilities()), RedisRecords.orEmpty(patched.protocolVersion()),
                    patched.metadata());
            switch (reply.status()) {
                case "missing" -> throw McpSessionException.sessionNotFound(sessionId);
                case "conflict" -> {
                    // Another update came between the read and the write: apply the patch to the new members.
                }
                default -> {
                    announce(sessionId);
                    return RedisRecords.session(sessionId, reply.afterStatus());
                }
            }
        }
        throw new IllegalStateException("Session '" + sessionId + "' kept changing under the update");
    }

    boolean delete(String sessionId) {
        Instant now = now();
        ScriptReply reply = this.scripts.run(RedisScripts.DELETE, sessionId, now);
        String status = reply.status();
        if (status.equals("missing")) {
            return false;
        }
        String token = reply.afterStatus().next();
        if (this.settings.feedEnabled()) {
            this.sequencer.changedNow(sessionId);
        }
        this.registry.unregister(sessionId, token, now);
        boolean deleted = status.equals("deleted");
        this.listeners.closed(sessionId, deleted ? CloseReason.DELETED : CloseReason.EXPIRED);
        return deleted;
    }

    SessionPage list(@Nullable String after, int limit, @Nullable ListOwner owner) {
        Limits.requireReadLimit(limit);
        String from = (after != null) ? this.registry.cursor(after, owner) : null;
        List<Session> page = new ArrayList<>();
        PageBudget budget = this.settings.pageBudget();
        while (true) {
            List<String> members = this.registry.members(from, limit + 1, owner);
            for (String member : members) {
                Optional<Session> session = find(SessionRegistry.idOf(member));
                if (session.isPresent()) {
                    if (page.size() == limit || !budget.take(PageBudget.bytesOf(session.get()))) {
                        return new SessionPage(page, page.get(page.size() - 1).id());
                    }
                    page.add(session.get());
                }
            }
            if (members.size() < limit + 1) {
                return new SessionPage(page, null);
            }
            from = members.get(members.size() - 1);
        }
    }

    Session touch(String sessionId) {
        return RedisRecords.session(sessionId, live(RedisScripts.TOUCH, sessionId, now()));
    }

    LogPosition position(String sessionId) {
        ScriptReply reply = live(RedisScripts.SESSION_GET, sessionId, now());
        RedisRecords.session(sessionId, reply);
        String epoch = reply.next();
        long latest = reply.nextLong();
        return new LogPosition(latest, reply.nextLong(), epoch);
    }

    /** Runs a script that answers {@code missing} for a session that is gone; the reply is past its status. */
    @SuppressWarnings("rawtypes")
    ScriptReply live(RedisScript<List> script, String sessionId, Instant now, String... arguments) {
        ScriptReply reply = this.scripts.run(script, sessionId, now, arguments);
        if (reply.status().equals("missing")) {
            throw McpSessionException.sessionNotFound(sessionId);
        }
        return reply.afterStatus();
    }

    private static void skipPosition(ScriptReply reply) {
        reply.next();
        reply.next();
        reply.next();
    }

    private void announce(String sessionId) {
        if (this.settings.feedEnabled()) {
            this.sequencer.changed(sessionId);
        }
    }

    private Instant now() {
        return Timestamps.now(this.clock);
    }

}
