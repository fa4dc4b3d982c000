package io.mcpsession.redis;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import io.mcpsession.core.CloseReason;
import io.mcpsession.core.EphemeralEvent;
import io.mcpsession.core.JsonMembers;
import io.mcpsession.core.JsonText;

/**
 * Wake-up hints between instances over one Redis pub/sub channel, subscribed once per store and fanned out in
 * process through the {@link Fanout}. A hint is never the truth: readers it wakes read from the store, and the
 * {@link PositionCheck} reports what a lost hint (or an outage) left unheard.
 * Each message starts with the instance that sent it, so an instance ignores its own (it told its listeners
 * already). Messages: {@code a <latest> <sid>} (appended, from the scripts), {@code c <reason> <sid>} (closed,
 * from the scripts), {@code e <json>} (an ephemeral event, never stored), {@code w} (feed entries were
 * announced) and {@code f <latest>} (the feed moved).
 */
final class WakeUps implements MessageListener, AutoCloseable {

    private static final System.Logger logger = System.getLogger(WakeUps.class.getName());

    private static final Duration SUBSCRIBE_RETRY_FIRST = Duration.ofSeconds(1);

    private static final Duration SUBSCRIBE_RETRY_MAX = Duration.ofSeconds(30);

    private final StoreConnection connection;

    private final String channel;

    private final String origin;

    private final Fanout listeners;

    private final Runnable onFeedWork;

    private final ExecutorService dispatcher;

    private final RedisConnectionFactory connectionFactory;

    private volatile @Nullable RedisMessageListenerContainer container;

    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor((runnable) -> {
        Thread thread = new Thread(runnable, "mcp-session-redis-subscribe");
        thread.setDaemon(true);
        return thread;
    });

    private final boolean feedInline;

    private volatile boolean closed;

    /**
     * @param feedInline whether session scripts number the feed themselves: then an append or close hint also
     * means that the feed advanced
     */
    WakeUps(RedisConnectionFactory connectionFactory, StoreConnection connection, String channel, String origin,
            Fanout listeners, Runnable onFeedWork, boolean feedInline) {
        this.feedInline = feedInline;
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
        this.connectionFactory = connectionFactory;
    }

    /**
     * Subscribes. When Redis cannot be reached yet, subscribing is retried in the background (with a growing
     * delay) so that the store starts anyway; once subscribed, the client reconnects and subscribes again by itself
     * after the connection is lost (a Redis restart).
     */
    void start() {
        subscribe(SUBSCRIBE_RETRY_FIRST);
    }

    private synchronized void subscribe(Duration retryIn) {
        if (this.closed) {
            return;
        }
        // A container whose first start failed stays marked as started: each attempt gets a new one.
        RedisMessageListenerContainer attempt = new RedisMessageListenerContainer();
        attempt.setConnectionFactory(this.connectionFactory);
        attempt.setTaskExecutor(this.dispatcher);
        attempt.addMessageListener(this, new ChannelTopic(this.channel));
        attempt.afterPropertiesSet();
        try {
            attempt.start();
            this.container = attempt;
            if (retryIn != SUBSCRIBE_RETRY_FIRST) {
                logger.log(Level.INFO, "Subscribed to the wake-ups of other instances");
            }
        }
        catch (RuntimeException ex) {
            destroy(attempt);
            if (retryIn == SUBSCRIBE_RETRY_FIRST) {
                logger.log(Level.WARNING, "Cannot subscribe to the wake-ups of other instances yet; will retry", ex);
            }
            Duration next = retryIn.multipliedBy(2).compareTo(SUBSCRIBE_RETRY_MAX) < 0 ? retryIn.multipliedBy(2)
                    : SUBSCRIBE_RETRY_MAX;
            try {
                this.retries.schedule(() -> subscribe(next), retryIn.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (RejectedExecutionException closed) {
                // Closed meanwhile.
            }
        }
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
                    this.listeners.appended(detail[1], Long.parseLong(detail[0]), List.of());
                    feedMoved();
                }
                case "c" -> {
                    String[] detail = rest.split(" ", 2);
                    this.listeners.closed(detail[1], "expired".equals(detail[0]) ? CloseReason.EXPIRED
                            : CloseReason.DELETED);
                    feedMoved();
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

    /** An inline script numbered the feed and hinted only at its session's change (one message, not two). */
    private void feedMoved() {
        if (this.feedInline) {
            this.listeners.feedAdvanced(-1);
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
        synchronized (this) {
            this.closed = true;
        }
        this.retries.shutdownNow();
        RedisMessageListenerContainer subscribed = this.container;
        if (subscribed != null) {
            destroy(subscribed);
        }
        this.dispatcher.shutdownNow();
    }

    private static void destroy(RedisMessageListenerContainer container) {
        try {
            container.destroy();
        }
        catch (Exception ex) {
            logger.log(Level.DEBUG, "Closing a wake-up subscription failed", ex);
        }
    }

}
