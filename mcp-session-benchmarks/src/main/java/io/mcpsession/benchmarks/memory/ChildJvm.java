package io.mcpsession.benchmarks.memory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A class of this module run in a JVM of its own, on this one's class path, talking in lines: it reads its standard
 * input and answers on its standard output. Closing it closes its input, which tells it to end.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;

    private final BufferedReader out;

    private ChildJvm(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /**
     * Starts {@code mainClass} with a heap of at most {@code maxHeap} (as {@code -Xmx} takes it). A child that runs
     * out of heap exits, rather than linger half-alive and leave its parent waiting for an answer.
     */
    static ChildJvm start(Class<?> mainClass, String maxHeap, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaCommand(), "-Xmx" + maxHeap,
                "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(List.of(args));
        return new ChildJvm(new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    /** The next line that starts with {@code prefix} (other lines, a JVM's warnings, are skipped), or null at the end. */
    String lineStartingWith(String prefix) throws IOException {
        String line;
        while ((line = this.out.readLine()) != null && !line.startsWith(prefix)) {
            // Not an answer.
        }
        return line;
    }

    /** Sends one line to the child. */
    void send(String line) throws IOException {
        this.process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        this.process.getOutputStream().flush();
    }

    boolean isAlive() {
        return this.process.isAlive();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            this.process.getOutputStream().close();
        }
        catch (IOException ex) {
            // It has gone already.
        }
        if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
            this.process.destroyForcibly();
        }
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
            .toString());
    }

}
