package io.mcpsession.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The documented {@code sqlite} profile, on a file of its own with the profile's URL options.
 */
@ActiveProfiles("sqlite")
class SampleApplicationSqliteTests extends SampleDatabaseTestSupport {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        database(registry, "jdbc:sqlite:" + newFile() + "?journal_mode=WAL&busy_timeout=10000");
    }

    @Override
    String platform() {
        return "sqlite";
    }

    private static Path newFile() {
        try {
            Path directory = Files.createDirectories(Path.of("target", "test-data"));
            return Files.createTempFile(directory, "sample", ".db").toAbsolutePath();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
