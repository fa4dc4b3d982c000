package io.mcpsession.nats;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.JsonMembers;
import io.mcpsession.core.JsonText;
import io.mcpsession.store.ListenerRegistry;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;

/**
 * Wake-ups between instances over core NATS (never stored): a session's log moved, it ended, an ephemeral event
 * was published, or the feed moved. A hint only: readers read the store, and the position check heals a lost
 * one. Each instance skips its own messages (it told its listeners already).
 */
final class WakeUps implements AutoCloseable {

    private final Connection connection;

    private final NatsNames names;

    private final String instance;

    private final ListenerRegistry listeners;

    private final BiConsumer<String, CloseReason> closed;

    private final Dispatcher dispatcher;

    /**
     * @param closed tells this instance's listeners that a session ended elsewhere
     */
    WakeUps(Connection connection, NatsNames names, String instance, ListenerRegistry listeners,
            BiConsumer<String, CloseReason> closed) {
        this.closed = closed;
        this.connection = connection;
        this.names = names;
        this.instance = instance;
        this.listeners = listeners;
        this.dispatcher = connection.createDispatcher(this::onMessage);
        this.dispatcher.subscribe(names.wakeSubjects());
        this.dispatcher.subscribe(names.feedWakeSubject());
    }

    void appended(String sessionId, long latest) {
        send(this.names.wakeSubject(NatsNames.token(sessionId)), "a", Long.toString(latest));
    }

    void closed(String sessionId, CloseReason reason) {
        send(this.names.wakeSubject(NatsNames.token(sessionId)), "c", reason.name());
    }

    void ephemeral(EphemeralEvent event) {
        send(this.names.wakeSubject(NatsNames.token(event.sessionId())), "e", JsonText.toJson(event));
    }

    void feedAdvanced(long latest) {
        send(this.names.feedWakeSubject(), "f", Long.toString(latest));
    }

    private void send(String subject, String kind, String body) {
        try {
            this.connection.publish(subject,
                    (this.instance + "\n" + kind + "\n" + body).getBytes(StandardCharsets.UTF_8));
        }
        catch (RuntimeException ex) {
            // A hint: while NATS is away, the position check tells the readers later.
        }
    }

    private void onMessage(Message message) {
        String[] parts = new String(message.getData(), StandardCharsets.UTF_8).split("\n", 3);
        if (parts.length < 3 || parts[0].equals(this.instance)) {
            return;
        }
        if (parts[1].equals("f")) {
            this.listeners.feedAdvanced(Long.parseLong(parts[2]));
            return;
        }
        String sessionId = NatsNames.untoken(message.getSubject().substring(this.names.wakeSubject("").length()));
        switch (parts[1]) {
            case "a" -> this.listeners.appended(sessionId, Long.parseLong(parts[2]), List.of());
            case "c" -> this.closed.accept(sessionId, CloseReason.valueOf(parts[2]));
            case "e" -> this.listeners.ephemeral(ephemeralOf(parts[2]));
            default -> {
            }
        }
    }

    private static EphemeralEvent ephemeralOf(String json) {
        Map<String, JsonMembers.Member> members = JsonMembers.parse(json);
        JsonMembers.Member runId = members.get("runId");
        return new EphemeralEvent(members.get("sessionId").string(), members.get("id").string(),
                members.get("type").string(), members.get("data").raw(),
                (runId == null || runId.isNull()) ? null : runId.string(), members.get("metadata").raw(),
                Instant.parse(members.get("timestamp").string()));
    }

    @Override
    public void close() {
        this.connection.closeDispatcher(this.dispatcher);
    }

}
