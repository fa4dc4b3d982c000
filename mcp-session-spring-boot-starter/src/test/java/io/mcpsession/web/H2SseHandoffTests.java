package io.mcpsession.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The replay-to-live handoff on H2: both instances open one database file of this test's own, in a directory
 * removed afterwards.
 */
class H2SseHandoffTests extends SseHandoffTestSupport {

    private final Path directory = newDirectory();

    @Override
    List<String> storeArguments() {
        // Generous lock waits: four writers contend for one session's row on a loaded machine.
        return jdbcArguments("jdbc:h2:file:" + this.directory.resolve("handoff") + ";LOCK_TIMEOUT=10000", "MCP_");
    }

    @Override
    void deleteStoredData() {
        try (Stream<Path> paths = Files.walk(this.directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static Path newDirectory() {
        try {
            return Files.createTempDirectory("mcp-session-h2-handoff");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
