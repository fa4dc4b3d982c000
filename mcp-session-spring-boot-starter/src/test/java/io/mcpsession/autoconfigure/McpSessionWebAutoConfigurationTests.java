package io.mcpsession.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.memory.InMemorySessionStore;
import io.mcpsession.web.SessionApiController;
import io.mcpsession.web.SessionApiExceptionHandler;
import io.mcpsession.web.SessionStreams;

import static org.assertj.core.api.Assertions.assertThat;

class McpSessionWebAutoConfigurationTests {

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(McpSessionAutoConfiguration.class, McpSessionWebAutoConfiguration.class));

    @Test
    void servesTheApiInAServletApplication() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(SessionApiController.class);
            assertThat(context).hasSingleBean(SessionStreams.class);
            assertThat(context).hasSingleBean(SessionApiExceptionHandler.class);
        });
    }

    @Test
    void whenWebIsDisabledThenNoApi() {
        this.contextRunner.withPropertyValues("mcp.session.web.enabled=false").run((context) -> {
            assertThat(context).doesNotHaveBean(SessionApiController.class);
            assertThat(context).doesNotHaveBean(SessionStreams.class);
            assertThat(context).hasSingleBean(SessionStore.class);
        });
    }

    @Test
    void whenNotAWebApplicationThenNoApi() {
        new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(McpSessionAutoConfiguration.class, McpSessionWebAutoConfiguration.class))
            .run((context) -> {
                assertThat(context).doesNotHaveBean(SessionApiController.class);
                assertThat(context).hasSingleBean(SessionStore.class);
            });
    }

    @Test
    void whenThereIsNoStoreThenNoApi() {
        new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(McpSessionWebAutoConfiguration.class))
            .run((context) -> assertThat(context).doesNotHaveBean(SessionApiController.class));
    }

    @Test
    void userStreamsReplaceAutoConfiguredStreams() {
        SessionStore store = new InMemorySessionStore(StoreSettings.defaults());
        try (SessionStreams streams = new SessionStreams(store, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMinutes(1))) {
            this.contextRunner.withBean(SessionStreams.class, () -> streams).run((context) -> {
                assertThat(context.getBean(SessionStreams.class)).isSameAs(streams);
                assertThat(context).hasSingleBean(SessionApiController.class);
            });
        }
    }

    @Test
    void userControllerReplacesAutoConfiguredController() {
        SessionStore store = new InMemorySessionStore(StoreSettings.defaults());
        try (SessionStreams streams = new SessionStreams(store, Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMinutes(1))) {
            this.contextRunner
                .withBean("userController", SessionApiController.class,
                        () -> new SessionApiController(store, streams, 1024, Duration.ofSeconds(1), true))
                .run((context) -> {
                    assertThat(context).hasSingleBean(SessionApiController.class);
                    assertThat(context).hasBean("userController");
                });
        }
    }

}
