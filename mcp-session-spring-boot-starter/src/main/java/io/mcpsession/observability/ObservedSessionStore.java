package io.mcpsession.observability;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
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
import io.mcpsession.core.ResetReason;
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
 * A store with its meters (SPEC §9) and an {@code mcp.session.store} observation around every operation, so
 * that every backend is instrumented the same way, in one place. Meters are tagged with the store type, never a
 * session id.
 */
public final class ObservedSessionStore implements SessionStore {

    static final String OBSERVATION = "mcp.session.store";

    private final SessionStore delegate;

    private final ObservationRegistry observations;

    private final Tags tags;

    private final Counter created;

    private final Counter deleted;

    private final Counter expired;

    private final Counter appended;

    private final Counter duplicates;

    private final Timer appendTimer;

    private final Counter replayed;

    private final Counter retentionResets;

    private final Counter epochResets;

    private final Timer sweepTimer;

    private final Counter sweepDeleted;

    public ObservedSessionStore(SessionStore delegate, MeterRegistry meters, ObservationRegistry observations) {
        this.delegate = delegate;
        this.observations = observations;
        this.tags = Tags.of("store", delegate.type());
        this.created = counter(meters, "mcp.session.created", "Sessions created");
        this.deleted = counter(meters, "mcp.session.deleted", "Sessions deleted");
        this.expired = counter(meters, "mcp.session.expired", "Sessions removed because they expired");
        this.appended = counter(meters, "mcp.session.events.appended", "Events appended (duplicates excluded)");
        this.duplicates = counter(meters, "mcp.session.events.duplicates", "Appends answered with a stored original");
        this.appendTimer = Timer.builder("mcp.session.events.append")
            .description("Time to append one event or one batch")
            .tags(this.tags)
            .register(meters);
        this.replayed = counter(meters, "mcp.session.events.replayed", "Events returned by reads and streams");
        this.retentionResets = resetCounter(meters, ResetReason.RETENTION);
        this.epochResets = resetCounter(meters, ResetReason.EPOCH);
        this.sweepTimer = Timer.builder("mcp.session.sweep")
            .description("Time of one expiry and retention sweep")
            .tags(this.tags)
            .register(meters);
        this.sweepDeleted = counter(meters, "mcp.session.sweep.deleted",
                "Sessions, events and feed entries removed by sweeps");
    }

    /** The store underneath. */
    public SessionStore delegate() {
        return this.delegate;
    }

    @Override
    public String type() {
        return this.delegate.type();
    }

    @Override
    public String describe() {
        return this.delegate.describe();
    }

    @Override
    public Session create(NewSession session) {
        Session created = observe("create", () -> this.delegate.create(session));
        this.created.increment();
        return created;
    }

    @Override
    public Optional<Session> find(String sessionId) {
        return observe("find", () -> this.delegate.find(sessionId));
    }

    @Override
    public Session update(String sessionId, SessionPatch patch) {
        return observe("update", () -> this.delegate.update(sessionId, patch));
    }

    @Override
    public boolean delete(String sessionId) {
        boolean deleted = observe("delete", () -> this.delegate.delete(sessionId));
        if (deleted) {
            this.deleted.increment();
        }
        return deleted;
    }

    @Override
    public SessionPage list(@Nullable String after, int limit) {
        return observe("list", () -> this.delegate.list(after, limit));
    }

    @Override
    public SessionPage list(@Nullable String after, int limit, @Nullable String principal) {
        return observe("list", () -> this.delegate.list(after, limit, principal));
    }

    @Override
    public long countSessions() {
        return observe("count", this.delegate::countSessions);
    }

    @Override
    public Session touch(String sessionId) {
        return observe("touch", () -> this.delegate.touch(sessionId));
    }

    @Override
    public Optional<String> getState(String sessionId, String key) {
        return observe("state.get", () -> this.delegate.getState(sessionId, key));
    }

    @Override
    public Map<String, String> getAllState(String sessionId) {
        return observe("state.get", () -> this.delegate.getAllState(sessionId));
    }

    @Override
    public StatePage readState(String sessionId, @Nullable String after, int limit) {
        return observe("state.get", () -> this.delegate.readState(sessionId, after, limit));
    }

    @Override
    public void putState(String sessionId, String key, String jsonValue) {
        observe("state.put", () -> {
            this.delegate.putState(sessionId, key, jsonValue);
            return null;
        });
    }

    @Override
    public boolean removeState(String sessionId, String key) {
        return observe("state.remove", () -> this.delegate.removeState(sessionId, key));
    }

    @Override
    public AppendResult append(String sessionId, NewEvent event) {
        AppendResult result = observe("append", () -> this.appendTimer.record(() -> this.delegate.append(sessionId, event)));
        countAppends(List.of(result));
        return result;
    }

    @Override
    public List<AppendResult> appendAll(String sessionId, List<NewEvent> events) {
        List<AppendResult> results = observe("append",
                () -> this.appendTimer.record(() -> this.delegate.appendAll(sessionId, events)));
        countAppends(results);
        return results;
    }

    @Override
    public EphemeralEvent publishEphemeral(String sessionId, NewEvent event) {
        return observe("publish", () -> this.delegate.publishEphemeral(sessionId, event));
    }

    @Override
    public EventPage read(String sessionId, EventQuery query) {
        EventPage page = observe("read", () -> this.delegate.read(sessionId, query));
        this.replayed.increment(page.events().size());
        countReset(page.resetReason());
        return page;
    }

    @Override
    public LogPosition position(String sessionId) {
        return observe("position", () -> this.delegate.position(sessionId));
    }

    @Override
    public void deleteBefore(String sessionId, long before) {
        observe("trim", () -> {
            this.delegate.deleteBefore(sessionId, before);
            return null;
        });
    }

    @Override
    public FeedPage readFeed(FeedQuery query) {
        FeedPage page = observe("feed.read", () -> this.delegate.readFeed(query));
        countReset(page.resetReason());
        return page;
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
        SweepResult result = observe("sweep", () -> this.sweepTimer.record(this.delegate::sweep));
        this.expired.increment(result.expiredSessions());
        this.sweepDeleted.increment(result.total());
        return result;
    }

    @Override
    public void close() {
        this.delegate.close();
    }

    private void countAppends(List<AppendResult> results) {
        for (AppendResult result : results) {
            (result.duplicate() ? this.duplicates : this.appended).increment();
        }
    }

    private void countReset(@Nullable ResetReason reason) {
        if (reason != null) {
            ((reason == ResetReason.RETENTION) ? this.retentionResets : this.epochResets).increment();
        }
    }

    private <T> T observe(String operation, Supplier<T> call) {
        return Observation.createNotStarted(OBSERVATION, this.observations)
            .lowCardinalityKeyValue("operation", operation)
            .lowCardinalityKeyValue("store", this.delegate.type())
            .observe(call);
    }

    private Counter counter(MeterRegistry meters, String name, String description) {
        return Counter.builder(name).description(description).tags(this.tags).register(meters);
    }

    private Counter resetCounter(MeterRegistry meters, ResetReason reason) {
        return Counter.builder("mcp.session.resets")
            .description("Reads whose cursor could not be honoured (gap contract)")
            .tags(this.tags.and("reason", reason.value()))
            .register(meters);
    }

}
