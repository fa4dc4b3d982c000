package io.mcpsession.testengines;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * The NATS (with JetStream) of the tests: {@value #VARIABLE}, else the default local port when a server answers
 * there. No Testcontainers step: the project has no NATS container module yet, so where neither is found the
 * search fails naming the variable.
 */
public final class TestNats {

    /** The variable that names a test NATS, as a {@code nats://} URL. */
    public static final String VARIABLE = "MCP_SESSION_TEST_NATS_URL";

    private static final String LOCAL_HOST = "127.0.0.1";

    private static final int LOCAL_PORT = 4222;

    private static final EngineSearch SEARCH = new EngineSearch("NATS", VARIABLE,
            "nats://" + LOCAL_HOST + ":" + LOCAL_PORT, () -> answers(LOCAL_HOST, LOCAL_PORT), TestNats::noContainer,
            null);

    private static @Nullable String url;

    private TestNats() {
    }

    /** The URL of the test NATS; found once per JVM. */
    public static synchronized String url() {
        if (url == null) {
            url = SEARCH.find();
        }
        return url;
    }

    /** The {@code nats-server} on the {@code PATH}, for tests that run (and kill) a server of their own. */
    public static Path serverBinary() {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            .filter((directory) -> !directory.isEmpty())
            .map((directory) -> Path.of(directory, "nats-server"))
            .filter(Files::isExecutable)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("No nats-server on the PATH"));
    }

    /** Whether a NATS server greets a connection at a host and port (its first line is {@code INFO {…}}). */
    static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            byte[] greeting = in.readNBytes(5);
            return new String(greeting, StandardCharsets.US_ASCII).equals("INFO ");
        }
        catch (IOException ex) {
            return false;
        }
    }

    private static String noContainer() {
        throw new IllegalStateException("No NATS to test against: set " + VARIABLE
                + " or run a NATS server with JetStream on its default local port (no container module for NATS)");
    }

}
