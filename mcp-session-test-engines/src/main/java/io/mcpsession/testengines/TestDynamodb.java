package io.mcpsession.testengines;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The DynamoDB of the tests: {@value #VARIABLE}, else a DynamoDB-compatible server on 127.0.0.1:4567 (dynalite's
 * default port) when it answers, else a dynalite ({@value #DYNALITE}, in memory) that this helper installs with
 * npm into the calling module's {@code target/dynalite} (once per build, reused while it is there) and starts on
 * a free port until the JVM exits. There is no container step: the only DynamoDB image with an official source
 * is Amazon's DynamoDB Local, whose licence is not open source.
 */
public final class TestDynamodb {

    /** The variable that names a test DynamoDB endpoint, as an {@code http://} URL. */
    public static final String VARIABLE = "MCP_SESSION_TEST_DYNAMODB_URL";

    /** The dynalite the tests install. */
    public static final String DYNALITE = "dynalite@4.0.0";

    private static final String LOCAL_URL = "http://127.0.0.1:4567";

    private static final long START_TIMEOUT_SECONDS = 60;

    private static final long INSTALL_TIMEOUT_MINUTES = 5;

    private static @Nullable String url;

    private TestDynamodb() {
    }

    /** The endpoint of the test DynamoDB; found once per JVM. */
    public static synchronized String url() {
        if (url == null) {
            url = find();
        }
        return url;
    }

    private static String find() {
        String named = System.getenv(VARIABLE);
        if (named != null && !named.isBlank()) {
            return found(named, "from " + VARIABLE);
        }
        if (answers(LOCAL_URL)) {
            return found(LOCAL_URL, "on its default local port");
        }
        try {
            return found(startDynalite(), "started by the tests (dynalite)");
        }
        catch (RuntimeException ex) {
            throw new IllegalStateException("No DynamoDB to test against: set " + VARIABLE + " (for example "
                    + LOCAL_URL + "), run one on its default local port, or install Node.js 20+ with npm so that the "
                    + "tests can run dynalite (" + ex.getMessage() + ")", ex);
        }
    }

    /** Whether a DynamoDB-compatible server answers {@code ListTables} at {@code endpoint}. */
    static boolean answers(String endpoint) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(endpoint).toURL().openConnection();
            connection.setConnectTimeout(2000);
            connection.setReadTimeout(5000);
            connection.setRequestMethod("POST");
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", "application/x-amz-json-1.0");
            connection.setRequestProperty("X-Amz-Target", "DynamoDB_20120810.ListTables");
            try (OutputStream out = connection.getOutputStream()) {
                out.write("{}".getBytes(StandardCharsets.UTF_8));
            }
            int status = connection.getResponseCode();
            byte[] body = ((status < 400) ? connection.getInputStream() : connection.getErrorStream()).readAllBytes();
            String text = new String(body, StandardCharsets.UTF_8);
            return text.contains("TableNames") || text.contains("__type");
        }
        catch (IOException | RuntimeException ex) {
            return false;
        }
    }

    private static String startDynalite() {
        Path directory = Path.of(System.getProperty("basedir", "."), "target", "dynalite").toAbsolutePath();
        Path cli = directory.resolve("node_modules").resolve("dynalite").resolve("cli.js");
        if (!Files.isRegularFile(cli)) {
            install(directory);
        }
        int port = freePort();
        // dynalite rethrows a client's aborted request and exits; a test that cuts a connection must not end it.
        Path survive = directory.resolve("survive-aborted-requests.js");
        try {
            Files.writeString(survive, "process.on('uncaughtException', (error) => console.error('dynalite: ' + error));\n",
                    StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        List<String> command = new ArrayList<>(List.of("node", "--require", survive.toString(), cli.toString(), "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "dynalite-stop"));
            BufferedReader output = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            // dynalite says where it listens once it does: the line is the signal, read as it comes.
            String line = output.readLine();
            if (line == null || !line.contains("listening")) {
                process.destroy();
                throw new IllegalStateException("dynalite did not start: " + line);
            }
            Path log = directory.resolve("dynalite-" + port + ".log");
            Thread drain = new Thread(() -> {
                try (var writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                    String next;
                    while ((next = output.readLine()) != null) {
                        // Kept, so that a server that stops says why.
                        writer.write(next);
                        writer.newLine();
                        writer.flush();
                    }
                    writer.write("[dynalite exited with " + process.waitFor() + "]");
                    writer.newLine();
                }
                catch (IOException ex) {
                    // The process ended.
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }, "dynalite-output");
            drain.setDaemon(true);
            drain.start();
            return "http://127.0.0.1:" + port;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot run node", ex);
        }
    }

    private static void install(Path directory) {
        try {
            Files.createDirectories(directory);
            Process process = new ProcessBuilder("npm", "install", "--prefix", directory.toString(), DYNALITE,
                    "--no-audit", "--no-fund", "--no-save")
                .redirectErrorStream(true)
                .redirectOutput(directory.resolve("npm-install.log").toFile())
                .start();
            if (!process.waitFor(INSTALL_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("npm install " + DYNALITE + " took longer than "
                        + INSTALL_TIMEOUT_MINUTES + " minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("npm install " + DYNALITE + " failed (see "
                        + directory.resolve("npm-install.log") + ")");
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot run npm", ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while installing " + DYNALITE, ex);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String found(String endpoint, String where) {
        System.err.println("[mcp-session tests] DynamoDB " + where + ": " + endpoint);
        return endpoint;
    }

}
