package io.mcpsession.redis;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.mcpsession.testengines.TestRedis;

import static org.awaitility.Awaitility.await;

/**
 * A Redis server of a test's own, for what the shared one must not see: {@code FLUSHALL}, and being killed and
 * restarted. It keeps every acknowledged write ({@code appendonly yes}, {@code appendfsync always}) and comes back
 * on the same port with the same data. It runs the {@code redis-server} found on the {@code PATH}, else the one the
 * embedded-redis artifact ships ({@link TestRedis#serverBinary()}).
 */
public final class OwnRedisServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final int port;

    private final Path directory;

    private final Path binary;

    private Process process;

    private OwnRedisServer(int port, Path directory, Path binary) {
        this.port = port;
        this.directory = directory;
        this.binary = binary;
    }

    /** Starts a server on a free port with an empty data directory. */
    public static OwnRedisServer start() {
        try {
            int port = freePort();
            Path directory = Files.createTempDirectory("mcp-session-redis-");
            OwnRedisServer server = new OwnRedisServer(port, directory, TestRedis.serverBinary());
            server.launch();
            server.awaitReady();
            return server;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public String url() {
        return "redis://" + HOST + ":" + this.port;
    }

    public int port() {
        return this.port;
    }

    /** Kills the server at once ({@code SIGKILL}): no shutdown, no final save. */
    public void kill() {
        this.process.destroyForcibly();
        try {
            this.process.waitFor();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** Starts the server again on the same port with the same data, and waits until it answers. */
    public void restart() {
        launch();
        awaitReady();
    }

    /** Sends one inline command and returns the first line of the reply. */
    public String command(String inline) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, this.port), 1000);
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        if (this.process != null) {
            this.process.destroyForcibly();
        }
        try (Stream<Path> paths = Files.walk(this.directory)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
        catch (IOException ex) {
            // A temporary directory: the system cleans it up eventually.
        }
    }

    private void launch() {
        List<String> command = List.of(this.binary.toString(), "--port", Integer.toString(this.port), "--bind", HOST,
                "--dir", this.directory.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                "--daemonize", "no");
        try {
            this.process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("redis.log").toFile()))
                .start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void awaitReady() {
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50))
            .ignoreException(UncheckedIOException.class)
            .until(() -> {
            if (this.process != null && !this.process.isAlive()) {
                throw new IllegalStateException("redis-server exited; see " + this.directory.resolve("redis.log"));
            }
            return "+PONG".equals(command("PING"));
        });
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

}
