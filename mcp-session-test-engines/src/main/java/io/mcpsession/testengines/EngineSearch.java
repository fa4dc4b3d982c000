package io.mcpsession.testengines;

import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;

/**
 * The order in which every engine is looked for. Each step names where the server came from on standard error,
 * once, so that a test run says what it ran against.
 */
final class EngineSearch {

    private final String engine;

    private final String variable;

    private final String localUrl;

    private final BooleanSupplier localAnswers;

    private final Supplier<String> container;

    private final @Nullable Supplier<String> embedded;

    /**
     * @param engine the engine's name, as messages show it
     * @param variable the environment variable that names a server
     * @param localUrl the server on its default local port, as a URL
     * @param localAnswers whether that server answers (asked only when the variable is not set)
     * @param container starts a container and returns its URL (asked only where Docker runs)
     * @param embedded starts a server that a Maven artifact ships and returns its URL, where one exists
     */
    EngineSearch(String engine, String variable, String localUrl, BooleanSupplier localAnswers,
            Supplier<String> container, @Nullable Supplier<String> embedded) {
        this.engine = engine;
        this.variable = variable;
        this.localUrl = localUrl;
        this.localAnswers = localAnswers;
        this.container = container;
        this.embedded = embedded;
    }

    /** The URL of the server to test against, found in the project's order. */
    String find() {
        return find(System::getenv, () -> DockerClientFactory.instance().isDockerAvailable());
    }

    String find(Function<String, @Nullable String> environment, BooleanSupplier dockerRuns) {
        String named = environment.apply(this.variable);
        if (named != null && !named.isBlank()) {
            return found(named, "from " + this.variable);
        }
        if (this.localAnswers.getAsBoolean()) {
            return found(this.localUrl, "on its default local port");
        }
        if (dockerRuns.getAsBoolean()) {
            return found(this.container.get(), "in a Testcontainers container");
        }
        if (this.embedded != null) {
            try {
                return found(this.embedded.get(), "started by the tests (embedded)");
            }
            catch (RuntimeException ex) {
                throw new IllegalStateException(noServer() + " (the embedded one failed to start: " + ex + ")", ex);
            }
        }
        throw new IllegalStateException(noServer());
    }

    private String noServer() {
        return "No " + this.engine + " to test against: set " + this.variable + " (for example " + this.localUrl
                + "), run one on its default local port, or run Docker for Testcontainers";
    }

    private String found(String url, String where) {
        System.err.println("[mcp-session tests] " + this.engine + " " + where + ": " + withoutPassword(url));
        return url;
    }

    private static String withoutPassword(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("(//[^/:@]*:)[^@/]*@", "$1***@");
    }

}
