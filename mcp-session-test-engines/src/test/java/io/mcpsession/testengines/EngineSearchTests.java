package io.mcpsession.testengines;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class EngineSearchTests {

    private final List<String> asked = new ArrayList<>();

    @Test
    void theVariableComesFirstAndNothingElseIsAsked() {
        EngineSearch search = search(true, true);

        assertThat(search.find(Map.of("VAR", "x://named")::get, () -> ask("docker", true))).isEqualTo("x://named");
        assertThat(this.asked).isEmpty();
    }

    @Test
    void aBlankVariableCountsAsUnset() {
        EngineSearch search = search(true, true);

        assertThat(search.find(Map.of("VAR", " ")::get, () -> ask("docker", true))).isEqualTo("x://local");
    }

    @Test
    void theLocalServerComesBeforeDocker() {
        EngineSearch search = search(true, true);

        assertThat(search.find(Map.<String, String>of()::get, () -> ask("docker", true))).isEqualTo("x://local");
        assertThat(this.asked).containsExactly("local");
    }

    @Test
    void dockerComesBeforeTheEmbeddedServer() {
        EngineSearch search = search(false, true);

        assertThat(search.find(Map.<String, String>of()::get, () -> ask("docker", true))).isEqualTo("x://container");
        assertThat(this.asked).containsExactly("local", "docker", "container");
    }

    @Test
    void theEmbeddedServerIsTheLastResort() {
        EngineSearch search = search(false, true);

        assertThat(search.find(Map.<String, String>of()::get, () -> ask("docker", false))).isEqualTo("x://embedded");
        assertThat(this.asked).containsExactly("local", "docker", "embedded");
    }

    @Test
    void withNothingTheFailureNamesTheVariable() {
        EngineSearch search = search(false, false);

        assertThatIllegalStateException()
            .isThrownBy(() -> search.find(Map.<String, String>of()::get, () -> ask("docker", false)))
            .withMessageContaining("No Thing to test against")
            .withMessageContaining("set VAR (for example x://local)");
    }

    @Test
    void anEmbeddedServerThatFailsToStartFailsWithTheSameAdvice() {
        EngineSearch search = new EngineSearch("Thing", "VAR", "x://local", () -> false, () -> "x://container",
                () -> {
                    throw new IllegalStateException("no binaries for this platform");
                });

        assertThatIllegalStateException()
            .isThrownBy(() -> search.find(Map.<String, String>of()::get, () -> false))
            .withMessageContaining("set VAR")
            .withMessageContaining("no binaries for this platform");
    }

    private EngineSearch search(boolean localAnswers, boolean embedded) {
        return new EngineSearch("Thing", "VAR", "x://local", () -> ask("local", localAnswers),
                () -> answer("container", "x://container"), embedded ? () -> answer("embedded", "x://embedded") : null);
    }

    private boolean ask(String step, boolean answer) {
        this.asked.add(step);
        return answer;
    }

    private String answer(String step, String url) {
        this.asked.add(step);
        return url;
    }

}
