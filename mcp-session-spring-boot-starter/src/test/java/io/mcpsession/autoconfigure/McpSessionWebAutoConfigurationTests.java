package io.mcpsession.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.core.context.SecurityContextHolder;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.memory.InMemorySessionStore;
import io.mcpsession.web.AdminAccess;
import io.mcpsession.web.AuthorityAdminAccess;
import io.mcpsession.web.SessionApiController;
import io.mcpsession.web.SessionApiExceptionHandler;
import io.mcpsession.web.SessionConsoleController;
import io.mcpsession.web.SessionStreams;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
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
    void withoutSpringSecurityTheStartUpLogSaysOnceThatTheApiIsOpen(CapturedOutput output) {
        this.contextRunner.withClassLoader(new FilteredClassLoader(SecurityContextHolder.class)).run((context) -> {
            assertThat(context).hasSingleBean(SessionApiController.class);
            assertThat(context.getBean(AdminAccess.class)).isSameAs(AdminAccess.NONE);
        });
        assertThat(output.getAll().split("Spring Security is not on the class path", -1)).hasSize(2);
        assertThat(output).contains("the session API at /mcp-sessions is open to every caller");
    }

    @Test
    void withSpringSecurityTheStartUpLogSaysNothingAndTheAdminAuthorityIsMatchedAsItIs(CapturedOutput output) {
        this.contextRunner.withPropertyValues("mcp.session.security.admin-authority=SCOPE_ops")
            .run((context) -> assertThat(context.getBean(AdminAccess.class)).isInstanceOf(AuthorityAdminAccess.class));
        assertThat(output).doesNotContain("Spring Security is not on the class path");
    }

    @Test
    void withoutSpringSecurityTheAdminAuthorityIsAContainerRole() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(SecurityContextHolder.class))
            .withPropertyValues("mcp.session.security.admin-authority=ops")
            .run((context) -> {
                AdminAccess access = context.getBean(AdminAccess.class);
                assertThat(access).isNotInstanceOf(AuthorityAdminAccess.class).isNotSameAs(AdminAccess.NONE);
                MockHttpServletRequest request = new MockHttpServletRequest();
                assertThat(access.isAdmin(request)).isFalse();
                request.addUserRole("ops");
                assertThat(access.isAdmin(request)).isTrue();
            });
    }

    @Test
    void theConsoleIsOffUnlessEnabled() {
        this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SessionConsoleController.class));
        this.contextRunner.withPropertyValues("mcp.session.web.console.enabled=true")
            .run((context) -> assertThat(context).hasSingleBean(SessionConsoleController.class));
    }

    @Test
    void whenWebIsDisabledThenNoConsoleEither() {
        this.contextRunner.withPropertyValues("mcp.session.web.enabled=false", "mcp.session.web.console.enabled=true")
            .run((context) -> assertThat(context).doesNotHaveBean(SessionConsoleController.class));
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
