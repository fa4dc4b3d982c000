package io.mcpsession.redis;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.JsonMembers;
import io.mcpsession.core.JsonText;
import io.mcpsession.store.ListenerRegistry;

/**
 * Wake-up hints between instances over one Redis pub/sub channel, subscribed once per store and fanned out in
 * process through the {@link ListenerRegistry}. A hint is never the truth: readers it wakes read from the store.
 * Each message starts with the instance that sent it, so an instance ignores its own (it told its listeners
 * already). Messages: {@code a <latest> <sid>} (appended, from the scripts), {@code c <reason> <sid>} (closed,
 * from the scripts), {@code e <json>} (an ephemeral event, never stored), {@code w} (feed entries were
 * announced) and {@code f <latest>} (the feed moved).
 */
final class WakeUps implements MessageListener, AutoCloseable {

    private static final System.Logger logger = System.getLogger(WakeUps.class.getName());

    private final StoreConnection connection;

    private final String channel;

    private final String origin;

    private final ListenerRegistry listeners;

    private final Runnable onFeedWork;

    private final ExecutorService dispatcher;

    private final RedisMessageListenerContainer container = new RedisMessageListenerContainer();

    WakeUps(RedisConnectionFactory connectionFactory, StoreConnection connection, String channel, String origin,
            ListenerRegistry listeners, Runnable onFeedWork) {
        this.connection = connection;
        this.channel = channel;
        this.origin = origin;
        this.listeners = listeners;
        this.onFeedWork = onFeedWork;
        this.dispatcher = Executors.newSingleThreadExecutor((runnable) -> {
            Thread thread = new Thread(runnable, "mcp-session-redis-wake");
            thread.setDaemon(true);
            return thread;
        });
        this.container.setConnectionFactory(connectionFactory);
        this.container.setTaskExecutor(this.dispatcher);
        this.container.addMessageListener(this, new ChannelTopic(channel));
    }

    /** Subscribes; the container resubscribes by itself after the connection is lost. */
    void start() {
        this.container.afterPropertiesSet();
        this.container.start();
    }

    void publishEphemeral(EphemeralEvent event) {
        publish("e " + JsonText.toJson(event));
    }

    void publishFeedWork() {
        publish("w");
    }

    void publishFeedAdvanced(long latest) {
        publish("f " + latest);
    }

    private void publish(String message) {
        this.connection.call((template) -> template.convertAndSend(this.channel, this.origin + " " + message));
    }

    @Override
    public void onMessage(Message message, byte[] pattern) {
        String text = new String(message.getBody(), StandardCharsets.UTF_8);
        try {
            String[] parts = text.split(" ", 3);
            if (parts.length < 2 || parts[0].equals(this.origin)) {
                return;
            }
            String rest = (parts.length > 2) ? parts[2] : "";
            switch (parts[1]) {
                case "a" -> {
                    String[] detail = rest.split(" ", 2);
                    this.listeners.appended(detail[1], Long.parseLong(detail[0]), java.util.List.of());
                }
                case "c" -> {
                    String[] detail = rest.split(" ", 2);
                    this.listeners.closed(detail[1], "expired".equals(detail[0]) ? CloseReason.EXPIRED
                            : CloseReason.DELETED);
                }
                case "e" -> this.listeners.ephemeral(ephemeral(rest));
                case "w" -> this.onFeedWork.run();
                case "f" -> this.listeners.feedAdvanced(Long.parseLong(rest));
                default -> logger.log(Level.DEBUG, "Ignoring an unknown wake-up hint");
            }
        }
        catch (RuntimeException ex) {
            logger.log(Level.WARNING, "Ignoring a malformed wake-up hint", ex);
        }
    }

    private static EphemeralEvent ephemeral(String json) {
        Map<String, JsonMembers.Member> members = JsonMembers.parse(json);
        JsonMembers.Member runId = members.get("runId");
        return new EphemeralEvent(members.get("sessionId").string(), members.get("id").string(),
                members.get("type").string(), members.get("data").raw(),
                (runId != null && !runId.isNull()) ? runId.string() : null, members.get("metadata").raw(),
                Instant.parse(members.get("timestamp").string()));
    }

    @Override
    public void close() {
        try {
            this.container.destroy();
        }
        catch (Exception ex) {
            logger.log(Level.DEBUG, "Closing the wake-up subscription failed", ex);
        }
        finally {
            this.dispatcher.shutdownNow();
        }
    }

}
