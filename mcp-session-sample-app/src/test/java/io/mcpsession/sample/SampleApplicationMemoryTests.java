package io.mcpsession.sample;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.store.SessionStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented {@code memory} profile keeps sessions in the process, whatever DataSource is configured.
 */
@SpringBootTest
@ActiveProfiles("memory")
class SampleApplicationMemoryTests {

    @Autowired
    private SessionStore store;

    @Test
    void theMemoryProfileUsesTheInMemoryStore() {
        assertThat(this.store.type()).isEqualTo("memory");
        this.store.create(NewSession.withId("kept-in-memory"));
        assertThat(this.store.append("kept-in-memory", NewEvent.of("message", "1")).event().seq()).isEqualTo(1);
    }

}
