package io.mcpsession.nats;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import io.mcpsession.testengines.TestNats;

import static org.awaitility.Awaitility.await;

/**
 * A NATS server with JetStream that a test starts from the machine's {@code nats-server}, on a free port and a
 * store directory of its own, so that it may kill it ({@code SIGKILL}) and start it again on both.
 */
final class OwnNatsServer implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;

    private final int port;

    private Process process;

    private OwnNatsServer(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    static OwnNatsServer start() {
        try {
            OwnNatsServer server = new OwnNatsServer(Files.createTempDirectory("mcp-session-nats"), freePort());
            server.launch();
            return server;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    String url() {
        return "nats://127.0.0.1:" + this.port;
    }

    /** Kills the server the hard way (no chance to flush anything) and waits until it is gone. */
    void kill() throws InterruptedException {
        this.process.destroyForcibly();
        this.process.waitFor();
    }

    /** Starts the server again on the same port and store directory. */
    void restart() {
        launch();
    }

    private void launch() {
        List<String> command = List.of(TestNats.serverBinary().toString(), "-js", "-sd",
                this.directory.resolve("store").toString(), "-a", "127.0.0.1", "-p", Integer.toString(this.port));
        try {
            this.process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(this.directory.resolve("nats.log").toFile()))
                .start();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(50)).until(this::answers);
    }

    private boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", this.port), 1000);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    @Override
    public void close() {
        if (this.process != null) {
            this.process.destroyForcibly();
            try {
                this.process.waitFor();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(this.directory)) {
            files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
        }
        catch (IOException ex) {
            // A temporary directory: the system cleans it eventually.
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

}
