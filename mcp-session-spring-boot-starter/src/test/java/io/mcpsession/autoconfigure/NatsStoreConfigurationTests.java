package io.mcpsession.autoconfigure;

import java.util.UUID;

import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.mcpsession.core.NewSession;
import io.mcpsession.nats.NatsSessionStore;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.memory.InMemorySessionStore;
import io.mcpsession.testengines.TestNats;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Selection of the NATS store, against a real NATS with JetStream ({@link TestNats}); every context works under a
 * prefix of its own, whose streams and buckets it deletes.
 */
class NatsStoreConfigurationTests {

    private final String prefix = "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(McpSessionAutoConfiguration.class))
        .withPropertyValues("mcp.session.store.nats.prefix=" + this.prefix);

    @Test
    void natsIsDetectedWhereAUrlIsSet() {
        this.contextRunner.withPropertyValues("mcp.session.store.nats.url=" + TestNats.url()).run((context) -> {
            assertThat(context).hasSingleBean(NatsSessionStore.class).hasSingleBean(Connection.class);
            assertThat(context.getBean(SessionStore.class).type()).isEqualTo("nats");
            storesAndDeletes(context);
        });
    }

    @Test
    void explicitNatsTypeConnects() {
        this.contextRunner
            .withPropertyValues("mcp.session.store.type=nats", "mcp.session.store.nats.url=" + TestNats.url())
            .run((context) -> {
                assertThat(context).hasSingleBean(NatsSessionStore.class);
                storesAndDeletes(context);
            });
    }

    @Test
    void theApplicationsConnectionIsUsed() throws Exception {
        try (Connection connection = Nats.connect(TestNats.url())) {
            this.contextRunner.withBean(Connection.class, () -> connection).run((context) -> {
                assertThat(context).hasSingleBean(NatsSessionStore.class);
                assertThat(context.getBean(Connection.class)).isSameAs(connection);
                storesAndDeletes(context);
                context.getBean(NatsSessionStore.class).close();
                assertThat(connection.getStatus()).as("the store never closes the application's connection")
                    .isEqualTo(Connection.Status.CONNECTED);
            });
        }
    }

    @Test
    void withoutAUrlOrAConnectionTheStoreIsInMemory() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(InMemorySessionStore.class).doesNotHaveBean(Connection.class);
            assertThat(context).doesNotHaveBean(NatsSessionStore.class);
        });
    }

    @Test
    void whenNatsTypeHasNoClientThenStartUpFailsClearly() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(Connection.class))
            .withPropertyValues("mcp.session.store.type=nats")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .hasMessageContaining("mcp.session.store.type is 'nats'")
                .hasMessageContaining("io.nats:jnats"));
    }

    /** The store works under the configured prefix; its streams and buckets go afterwards. */
    private static void storesAndDeletes(AssertableApplicationContext context) {
        NatsSessionStore store = context.getBean(NatsSessionStore.class);
        try {
            store.create(NewSession.withId("configured"));
            assertThat(store.find("configured")).isPresent();
        }
        finally {
            store.deleteEverything();
        }
    }

}
