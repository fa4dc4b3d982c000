package io.mcpsession.testengines;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import com.redis.testcontainers.RedisContainer;
import org.jspecify.annotations.Nullable;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * The Redis of the tests: {@value #VARIABLE}, else 127.0.0.1:6379 when it answers {@code PING}, else
 * Testcontainers, else the {@code redis-server} that the embedded-redis artifact ships.
 */
public final class TestRedis {

    /** The variable that names a test Redis, as a {@code redis://} URL. */
    public static final String VARIABLE = "MCP_SESSION_TEST_REDIS_URL";

    private static final String LOCAL_HOST = "127.0.0.1";

    private static final int LOCAL_PORT = 6379;

    private static final EngineSearch SEARCH = new EngineSearch("Redis", VARIABLE,
            "redis://" + LOCAL_HOST + ":" + LOCAL_PORT, () -> answersPing(LOCAL_HOST, LOCAL_PORT),
            TestRedis::container, TestRedis::embedded);

    private static @Nullable String url;

    private TestRedis() {
    }

    /** The URL of the test Redis; found once per JVM. */
    public static synchronized String url() {
        if (url == null) {
            url = SEARCH.find();
        }
        return url;
    }

    /**
     * A {@code redis-server} executable for tests that run a server of their own (to flush it, kill it, restart
     * it): the one on the {@code PATH}, else the one that the embedded-redis artifact ships.
     */
    public static Path serverBinary() {
        Path onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter((directory) -> !directory.isEmpty())
            .map((directory) -> Path.of(directory, "redis-server"))
            .filter(Files::isExecutable)
            .findFirst()
            .orElse(null);
        if (onPath != null) {
            return onPath;
        }
        try {
            return ExecutableProvider.newJarResourceProvider().get().toPath();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("No redis-server on the PATH, and the embedded one cannot be unpacked", ex);
        }
    }

    /** Whether a Redis answers {@code PING} at a host and port within a few seconds. */
    static boolean answersPing(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = new byte[7];
            InputStream in = socket.getInputStream();
            int read = in.readNBytes(reply, 0, reply.length);
            return new String(reply, 0, read, StandardCharsets.US_ASCII).equals("+PONG\r\n");
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static String container() {
        RedisContainer container = new RedisContainer(
                RedisContainer.DEFAULT_IMAGE_NAME.withTag(RedisContainer.DEFAULT_TAG));
        container.start();
        return "redis://" + container.getRedisHost() + ":" + container.getRedisPort();
    }

    static String embedded() {
        try {
            int port = freePort();
            RedisServer server = RedisServer.newRedisServer()
                .executableProvider(() -> serverBinary().toFile())
                .bind(LOCAL_HOST)
                .port(port)
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.stop();
                }
                catch (IOException ex) {
                    // The process ends anyway.
                }
            }, "embedded-redis-stop"));
            return "redis://" + LOCAL_HOST + ":" + port;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
