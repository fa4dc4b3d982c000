package io.mcpsession.store;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.JsonText;
import io.mcpsession.core.Limits;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.PageBudget;
import io.mcpsession.core.Session;
import io.mcpsession.core.Timestamps;

/**
 * The limits and retention every store enforces, with the contract's defaults.
 *
 * @param timeout idle time after which a session expires
 * @param maxSessions the most sessions the store holds
 * @param maxEventsPerSession the most events one session's log retains
 * @param eventTtl how long an event is retained
 * @param overflow what an append does when a log is full
 * @param maxEventBytes the largest event (UTF-8 bytes of data plus metadata) or state value
 * @param feedEnabled whether the global feed is written
 * @param feedMaxEntries the most entries the feed retains
 * @param feedTtl how long a feed entry is retained
 * @param maxPageBytes the byte budget of one page of events, feed entries, sessions or state (see
 * {@link PageBudget})
 * @param maxStateKeys the most state keys one session holds
 */
public record StoreSettings(Duration timeout, int maxSessions, int maxEventsPerSession, Duration eventTtl,
        OverflowPolicy overflow, long maxEventBytes, boolean feedEnabled, long feedMaxEntries, Duration feedTtl,
        long maxPageBytes, int maxStateKeys) {

    /** The default byte budget of a page: 4 MiB. */
    public static final long DEFAULT_MAX_PAGE_BYTES = 4L * 1024 * 1024;

    /** The default number of state keys of a session. */
    public static final int DEFAULT_MAX_STATE_KEYS = 1000;

    public StoreSettings {
        requirePositive("timeout", timeout);
        requirePositive("eventTtl", eventTtl);
        requirePositive("feedTtl", feedTtl);
        if (maxSessions < 1 || maxEventsPerSession < 1 || maxEventBytes < 1 || feedMaxEntries < 1
                || maxPageBytes < 1 || maxStateKeys < 1) {
            throw new IllegalArgumentException("Store limits must be positive");
        }
    }

    /** Settings with the default page budget and state keys. */
    public StoreSettings(Duration timeout, int maxSessions, int maxEventsPerSession, Duration eventTtl,
            OverflowPolicy overflow, long maxEventBytes, boolean feedEnabled, long feedMaxEntries, Duration feedTtl) {
        this(timeout, maxSessions, maxEventsPerSession, eventTtl, overflow, maxEventBytes, feedEnabled, feedMaxEntries,
                feedTtl, DEFAULT_MAX_PAGE_BYTES, DEFAULT_MAX_STATE_KEYS);
    }

    /**
     * The contract's defaults: 30m timeout, 100000 sessions, 10000 events for 2h, 1MB events, a 24h feed of 1000000,
     * 4 MiB pages, 1000 state keys.
     */
    public static StoreSettings defaults() {
        return new StoreSettings(Duration.ofMinutes(30), 100_000, 10_000, Duration.ofHours(2),
                OverflowPolicy.EVICT_OLDEST, 1024 * 1024, true, 1_000_000, Duration.ofHours(24));
    }

    public StoreSettings withTimeout(Duration timeout) {
        return new StoreSettings(timeout, this.maxSessions, this.maxEventsPerSession, this.eventTtl, this.overflow,
                this.maxEventBytes, this.feedEnabled, this.feedMaxEntries, this.feedTtl, this.maxPageBytes,
                this.maxStateKeys);
    }

    public StoreSettings withMaxSessions(int maxSessions) {
        return new StoreSettings(this.timeout, maxSessions, this.maxEventsPerSession, this.eventTtl, this.overflow,
                this.maxEventBytes, this.feedEnabled, this.feedMaxEntries, this.feedTtl, this.maxPageBytes,
                this.maxStateKeys);
    }

    public StoreSettings withEvents(int maxEventsPerSession, Duration eventTtl, OverflowPolicy overflow) {
        return new StoreSettings(this.timeout, this.maxSessions, maxEventsPerSession, eventTtl, overflow,
                this.maxEventBytes, this.feedEnabled, this.feedMaxEntries, this.feedTtl, this.maxPageBytes,
                this.maxStateKeys);
    }

    public StoreSettings withMaxEventBytes(long maxEventBytes) {
        return new StoreSettings(this.timeout, this.maxSessions, this.maxEventsPerSession, this.eventTtl,
                this.overflow, maxEventBytes, this.feedEnabled, this.feedMaxEntries, this.feedTtl, this.maxPageBytes,
                this.maxStateKeys);
    }

    public StoreSettings withFeed(boolean feedEnabled, long feedMaxEntries, Duration feedTtl) {
        return new StoreSettings(this.timeout, this.maxSessions, this.maxEventsPerSession, this.eventTtl,
                this.overflow, this.maxEventBytes, feedEnabled, feedMaxEntries, feedTtl, this.maxPageBytes, this.maxStateKeys);
    }

    public StoreSettings withMaxPageBytes(long maxPageBytes) {
        return new StoreSettings(this.timeout, this.maxSessions, this.maxEventsPerSession, this.eventTtl,
                this.overflow, this.maxEventBytes, this.feedEnabled, this.feedMaxEntries, this.feedTtl, maxPageBytes,
                this.maxStateKeys);
    }

    public StoreSettings withMaxStateKeys(int maxStateKeys) {
        return new StoreSettings(this.timeout, this.maxSessions, this.maxEventsPerSession, this.eventTtl,
                this.overflow, this.maxEventBytes, this.feedEnabled, this.feedMaxEntries, this.feedTtl,
                this.maxPageBytes, maxStateKeys);
    }

    /** A budget for one page of a read. */
    public PageBudget pageBudget() {
        return new PageBudget(this.maxPageBytes);
    }

    /**
     * Checks a new session's capabilities and metadata together against {@code max-event-bytes}, as an event's
     * data and metadata are.
     * @throws McpSessionException {@code PAYLOAD_TOO_LARGE}
     */
    public NewSession checkSession(NewSession session) {
        requireSessionBytes(JsonText.utf8Length(session.clientCapabilities())
                + JsonText.utf8Length(session.serverCapabilities()) + JsonText.utf8Length(session.metadata()));
        return session;
    }

    /**
     * Checks a patched session's capabilities and metadata together against {@code max-event-bytes}.
     * @throws McpSessionException {@code PAYLOAD_TOO_LARGE}
     */
    public Session checkSession(Session session) {
        requireSessionBytes(PageBudget.bytesOf(session));
        return session;
    }

    private void requireSessionBytes(long bytes) {
        if (bytes > this.maxEventBytes) {
            throw tooLarge("A session's capabilities and metadata");
        }
    }

    /**
     * Checks that a session holding {@code keys} state keys may take a new one.
     * @throws McpSessionException {@code MAX_STATE_KEYS_REACHED} when it may not
     */
    public void requireStateRoom(String sessionId, long keys) {
        if (keys >= this.maxStateKeys) {
            throw new McpSessionException(ErrorCode.MAX_STATE_KEYS_REACHED,
                    "Session '" + sessionId + "' holds its maximum of " + this.maxStateKeys + " state keys");
        }
    }

    /**
     * Checks an event against the bounds and returns it with its JSON compacted and its defaults applied.
     * @throws McpSessionException {@code INVALID_REQUEST} or {@code PAYLOAD_TOO_LARGE}
     */
    public NewEvent checkEvent(NewEvent event) {
        if (event.id() != null) {
            Limits.requireName("id", event.id());
        }
        Limits.requireName("type", event.typeOrDefault());
        if (event.runId() != null) {
            Limits.requireName("runId", event.runId());
        }
        String data = JsonText.compact(event.data());
        String metadata = (event.metadata() != null) ? JsonText.compactObject(event.metadata(), "metadata") : null;
        if (JsonText.utf8Length(data) + JsonText.utf8Length(metadata) > this.maxEventBytes) {
            throw tooLarge("An event's data and metadata");
        }
        if (event.timestamp() != null) {
            Timestamps.requireStorable("timestamp", event.timestamp());
        }
        if (data == event.data() && metadata == event.metadata() && event.type() != null) {
            return event; // already compact, as events built by the HTTP layer and most producers are
        }
        return new NewEvent(event.id(), event.typeOrDefault(), data, event.runId(), metadata, event.ephemeral(),
                event.timestamp());
    }

    /**
     * Checks a state write and returns the value compacted.
     * @throws McpSessionException {@code INVALID_REQUEST} or {@code PAYLOAD_TOO_LARGE}
     */
    public String checkState(String key, String jsonValue) {
        Limits.requireName("key", key);
        String value = JsonText.compact(jsonValue);
        if (JsonText.utf8Length(value) > this.maxEventBytes) {
            throw tooLarge("A state value");
        }
        return value;
    }

    /**
     * Under the {@code reject} policy, checks that a log retaining {@code retained} events has room for the new
     * events of a batch (those whose id is neither stored nor repeated earlier in the batch).
     * @param isStored whether an event id is already stored in the log
     * @throws McpSessionException {@code MAX_EVENTS_REACHED} when it has not
     */
    public void checkRoom(String sessionId, long retained, List<NewEvent> events, Predicate<String> isStored) {
        if (this.overflow != OverflowPolicy.REJECT) {
            return;
        }
        Set<String> batchIds = new HashSet<>();
        long fresh = events.stream()
            .filter((event) -> event.id() == null || (!isStored.test(event.id()) && batchIds.add(event.id())))
            .count();
        requireRoom(sessionId, retained, fresh);
    }

    /**
     * Under the {@code reject} policy, checks that a log retaining {@code retained} events has room for
     * {@code fresh} more.
     * @throws McpSessionException {@code MAX_EVENTS_REACHED} when it has not
     */
    public void requireRoom(String sessionId, long retained, long fresh) {
        if (this.overflow != OverflowPolicy.REJECT) {
            return;
        }
        if (retained + fresh > this.maxEventsPerSession) {
            throw new McpSessionException(ErrorCode.MAX_EVENTS_REACHED,
                    "Session '" + sessionId + "' holds its maximum of " + this.maxEventsPerSession + " events");
        }
    }

    private McpSessionException tooLarge(String what) {
        return new McpSessionException(ErrorCode.PAYLOAD_TOO_LARGE,
                what + " may take at most " + this.maxEventBytes + " bytes");
    }

    private static void requirePositive(String name, Duration duration) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("'" + name + "' must be positive");
        }
    }

}
