package io.mcpsession.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calls on many keys at once, on a Redis of the test's own ({@link OwnRedisServer}) so that its connection count
 * is this test's alone: every answer lands with its key, and the calls share the store's one connection. Feed
 * numbering makes such calls several times a second; a connection opened for each would be a TCP handshake and a
 * {@code HELLO} every time.
 */
@Timeout(120)
class StoreConnectionTests {

    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> ECHO = RedisScript.of("return { KEYS[1], ARGV[1] }", List.class);

    private static OwnRedisServer server;

    private static LettuceConnectionFactory connectionFactory;

    private final StoreConnection connection = new StoreConnection(connectionFactory);

    @BeforeAll
    static void startServer() {
        server = OwnRedisServer.start();
        connectionFactory = RedisTestServer.newConnectionFactory(server.url(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stopServer() {
        connectionFactory.destroy();
        server.close();
    }

    @Test
    void callsOnManyKeysAnswerEachKeyInOrderOverTheSharedConnection() {
        List<String> keys = IntStream.range(0, 20).mapToObj((i) -> "k" + i).toList();
        for (int i = 0; i < keys.size(); i += 2) {
            String key = keys.get(i);
            this.connection.call((template) -> template.opsForList().rightPushAll(key + ":list", key, "x", "y"));
            this.connection.call((template) -> {
                template.opsForHash().put(key + ":hash", "a", key);
                return null;
            });
        }
        long connectionsBefore = connectionsReceived();

        List<String> lists = keys.stream().map((key) -> key + ":list").toList();
        List<String> hashes = keys.stream().map((key) -> key + ":hash").toList();
        List<List<String>> heads = this.connection.heads(lists, 2);
        List<List<String>> fields = this.connection.fields(hashes, "a", "b");
        List<String> echoed = new ArrayList<>();
        this.connection
            .runEach(ECHO, keys.stream().map(List::of).toList(), keys.stream().map((key) -> List.of(key + "!")).toList())
            .forEach((reply) -> echoed.add(reply.status() + "," + reply.afterStatus().next()));

        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            boolean written = i % 2 == 0;
            assertThat(heads.get(i)).isEqualTo(written ? List.of(key, "x") : List.of());
            assertThat(fields.get(i)).containsExactly(written ? key : null, null);
            assertThat(echoed.get(i)).isEqualTo(key + "," + key + "!");
        }
        assertThat(connectionsReceived()).isEqualTo(connectionsBefore);
    }

    private long connectionsReceived() {
        Properties stats = this.connection
            .call((template) -> template.execute((RedisCallback<Properties>) (redis) -> redis.serverCommands().info("stats")));
        return Long.parseLong(stats.getProperty("total_connections_received"));
    }

}
