package io.mcpsession.mcp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.Cursor;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.store.SessionListener;
import io.mcpsession.store.Subscription;

/**
 * Clients' responses to requests the server sent (sampling, elicitation, roots), routed to the instance where the
 * request waits. A response that arrives at another instance is appended to the session's log under
 * {@code to.<instance>}; the waiting instance follows that part of the log of every session where it has sent a
 * request lately, and hands each response to its session object.
 */
final class ClientResponses {

    private static final Logger logger = LoggerFactory.getLogger(ClientResponses.class);

    private final McpLog log;

    private final String instanceId;

    private final Clock clock;

    private final Duration keepListening;

    private final Executor executor;

    private final Map<String, Inbox> inboxes = new ConcurrentHashMap<>();

    private final McpJsonMapper json;

    private volatile BiConsumer<String, McpSchema.JSONRPCResponse> deliver = (sessionId, response) -> {
    };

    /**
     * @param keepListening how long after its last request a session's responses are still awaited here (longer
     * than the SDK's request timeout)
     */
    ClientResponses(McpLog log, String instanceId, Clock clock, Duration keepListening, Executor executor,
            McpJsonMapper json) {
        this.log = log;
        this.instanceId = instanceId;
        this.clock = clock;
        this.keepListening = keepListening;
        this.executor = executor;
        this.json = json;
    }

    /** Where responses that reach this instance go: the session object's {@code accept}. */
    void deliverTo(BiConsumer<String, McpSchema.JSONRPCResponse> deliver) {
        this.deliver = deliver;
    }

    /** This instance is about to send a request in the session: its response must find the way back here. */
    void expect(String sessionId) {
        Inbox inbox = this.inboxes.computeIfAbsent(sessionId, this::open);
        inbox.expectedAt = this.clock.instant();
    }

    /** Sends a response on to the instance whose request it answers, through the session's log. */
    void forward(String sessionId, String instanceId, String responseJson) {
        this.log.appendInternal(sessionId, McpLog.CLIENT_RESPONSE, runId(instanceId), responseJson);
    }

    /** Stops following sessions where no request was sent for a while. */
    void sweep() {
        Instant horizon = this.clock.instant().minus(this.keepListening);
        for (Map.Entry<String, Inbox> entry : this.inboxes.entrySet()) {
            if (entry.getValue().expectedAt.isBefore(horizon) && this.inboxes.remove(entry.getKey(), entry.getValue())) {
                entry.getValue().subscription.close();
            }
        }
    }

    void close() {
        this.inboxes.values().forEach((inbox) -> inbox.subscription.close());
        this.inboxes.clear();
    }

    private Inbox open(String sessionId) {
        LogPosition position = this.log.store().position(sessionId);
        Inbox inbox = new Inbox(sessionId, Cursor.of(position.epoch(), position.latest()));
        inbox.subscription = this.log.store().subscribe(sessionId, new SessionListener() {

            @Override
            public void appended(String id, long latest, List<EventRecord> events) {
                inbox.signal();
            }

            @Override
            public void ephemeral(EphemeralEvent event) {
            }

            @Override
            public void closed(String id, CloseReason reason) {
                if (ClientResponses.this.inboxes.remove(id, inbox)) {
                    inbox.subscription.close();
                }
            }

        });
        return inbox;
    }

    private String runId(String instanceId) {
        return "to." + instanceId;
    }

    /** The responses of one session addressed to this instance. */
    private final class Inbox {

        private final String sessionId;

        private final AtomicBoolean scheduled = new AtomicBoolean();

        private volatile boolean dirty;

        private volatile Instant expectedAt;

        private volatile Subscription subscription = () -> {
        };

        /** Touched only by the drain. */
        private Cursor cursor;

        Inbox(String sessionId, Cursor cursor) {
            this.sessionId = sessionId;
            this.cursor = cursor;
            this.expectedAt = ClientResponses.this.clock.instant();
        }

        void signal() {
            this.dirty = true;
            if (this.scheduled.compareAndSet(false, true)) {
                ClientResponses.this.executor.execute(this::drain);
            }
        }

        private void drain() {
            try {
                while (this.dirty) {
                    this.dirty = false;
                    EventPage page;
                    do {
                        page = ClientResponses.this.log.read(this.sessionId, runId(ClientResponses.this.instanceId),
                                this.cursor);
                        for (EventRecord event : page.events()) {
                            hand(event);
                        }
                        this.cursor = Cursor.of(page.epoch(), page.nextCursor());
                    }
                    while (!page.events().isEmpty() && page.nextCursor() < page.latest());
                }
            }
            catch (McpSessionException ex) {
                logger.debug("Could not read the responses of session {}: {}", this.sessionId, ex.getMessage());
            }
            finally {
                this.scheduled.set(false);
            }
            if (this.dirty) {
                signal();
            }
        }

        private void hand(EventRecord event) {
            try {
                if (McpSchema.deserializeJsonRpcMessage(ClientResponses.this.json,
                        event.data()) instanceof McpSchema.JSONRPCResponse response) {
                    ClientResponses.this.deliver.accept(this.sessionId, McpMessages.withSdkId(response));
                }
            }
            catch (Exception ex) {
                logger.debug("Ignored a client response of session {}: {}", this.sessionId, ex.getMessage());
            }
        }

    }

}
