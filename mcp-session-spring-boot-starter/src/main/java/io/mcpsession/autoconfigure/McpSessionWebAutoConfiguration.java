package io.mcpsession.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;

import jakarta.servlet.DispatcherType;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.thread.Threading;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.core.task.VirtualThreadTaskExecutor;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

import io.mcpsession.store.SessionStore;
import io.mcpsession.web.AdminAccess;
import io.mcpsession.web.AuthorityAdminAccess;
import io.mcpsession.web.SessionApiController;
import io.mcpsession.web.SessionApiErrorFilter;
import io.mcpsession.web.SessionApiErrorReportValve;
import io.mcpsession.web.SessionApiExceptionHandler;
import io.mcpsession.web.SessionApiRequestFilter;
import io.mcpsession.web.SessionConsoleController;
import io.mcpsession.web.SessionCreationFilter;
import io.mcpsession.web.SessionCreationLimiter;
import io.mcpsession.web.SessionStreams;

/**
 * Auto-configuration of mcp-session's HTTP API (JSON, long-poll and SSE) on Spring MVC.
 */
@AutoConfiguration(after = McpSessionAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "mcp.session.web.enabled", matchIfMissing = true)
@ConditionalOnBean(SessionStore.class)
public final class McpSessionWebAutoConfiguration {

    private static final Log logger = LogFactory.getLog(McpSessionWebAutoConfiguration.class);

    private static final String SECURITY_CONTEXT = "org.springframework.security.core.context.SecurityContextHolder";

    private static final String ACTUATOR_ENDPOINTS = "org.springframework.boot.actuate.endpoint.annotation.Endpoint";

    /** Request bodies beyond this many events' worth of bytes are refused unread. */
    private static final int MAX_BODY_EVENTS = 8;

    /** How many pages' worth of bytes the shared page cache, and the frame cache, each hold at most. */
    private static final int CACHED_PAGES = 4;

    /**
     * Ahead of Spring's form filter (-9900), which would parse a form body first, and of Spring Security's filter
     * chain (-100): a refused request or an error page needs no authentication.
     */
    private static final int FILTER_ORDER = -10000;

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    SessionStreams mcpSessionStreams(SessionStore store, McpSessionProperties properties, Environment environment) {
        // The shared caches of pages and frames hold a few pages' worth each.
        long maxCacheBytes = properties.getWeb().getMaxPageBytes().toBytes() * CACHED_PAGES;
        McpSessionProperties.Sse sse = properties.getSse();
        Executor readers = Threading.VIRTUAL.isActive(environment)
                ? new VirtualThreadTaskExecutor("mcp-session-reader-") : SessionStreams.readerPool(sse.getThreads());
        return new SessionStreams(store, sse.getKeepalive(), sse.getRetry(), properties.getTimeout(),
                sse.getMaxStreamsPerSession(), sse.getMaxStreams(), properties.getLongPoll().getMaxWaiting(),
                maxCacheBytes, sse.getWriteTimeout(), readers);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnExpression("${mcp.session.web.max-creates-per-minute:0} > 0")
    SessionCreationLimiter mcpSessionCreationLimiter(McpSessionProperties properties) {
        return SessionCreationLimiter.perCaller(properties.getWeb().getMaxCreatesPerMinute());
    }

    @Bean
    @ConditionalOnBean(SessionCreationLimiter.class)
    @ConditionalOnMissingBean(name = "mcpSessionCreationFilter")
    FilterRegistrationBean<SessionCreationFilter> mcpSessionCreationFilter(SessionCreationLimiter limiter,
            McpSessionProperties properties) {
        // Last in the chain: after authentication, so that the limiter sees the principal.
        FilterRegistrationBean<SessionCreationFilter> registration = new FilterRegistrationBean<>(
                new SessionCreationFilter(properties.getWeb().getBasePath(), limiter));
        registration.setOrder(Ordered.LOWEST_PRECEDENCE);
        return registration;
    }

    @Bean
    @ConditionalOnMissingBean(name = "mcpSessionStreamsDrain")
    DrainOnShutdown mcpSessionStreamsDrain(SessionStreams streams, Environment environment) {
        return new DrainOnShutdown("mcp-session-streams", (timeout) -> streams.endAll(), streams::resume,
                shutdownTimeout(environment));
    }

    @Bean
    @ConditionalOnMissingBean
    SessionApiController mcpSessionApiController(SessionStore store, SessionStreams streams,
            McpSessionProperties properties, AdminAccess adminAccess, ResourceLoader resourceLoader) {
        long maxEventBytes = properties.getEvents().getMaxEventBytes().toBytes();
        long maxBodyBytes = Math.max(maxEventBytes, 1024 * 1024) * MAX_BODY_EVENTS;
        SessionApiController controller = new SessionApiController(store, streams, maxBodyBytes,
                properties.getLongPoll().getMaxWait(), properties.getFeed().isEnabled());
        controller.setAdminAccess(adminAccess);
        if (!ClassUtils.isPresent(SECURITY_CONTEXT, resourceLoader.getClassLoader())) {
            logger.warn("Spring Security is not on the class path: the session API at "
                    + properties.getWeb().getBasePath() + " is open to every caller, as one anonymous principal");
        }
        return controller;
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty("mcp.session.web.console.enabled")
    SessionConsoleController mcpSessionConsoleController(McpSessionProperties properties, Environment environment,
            ResourceLoader resourceLoader) {
        // The page reaches the actuator only on this port (its Content-Security-Policy allows this origin alone).
        boolean actuatorHere = ClassUtils.isPresent(ACTUATOR_ENDPOINTS, resourceLoader.getClassLoader())
                && environment.getProperty("management.server.port") == null;
        return new SessionConsoleController(properties.getWeb().getBasePath(),
                actuatorHere ? environment.getProperty("management.endpoints.web.base-path", "/actuator") : null);
    }

    @Bean
    @ConditionalOnMissingBean
    AdminAccess mcpSessionAdminAccess(McpSessionProperties properties, ResourceLoader resourceLoader) {
        String authority = properties.getSecurity().getAdminAuthority();
        if (authority == null || authority.isBlank()) {
            return AdminAccess.NONE;
        }
        // Spring Security's authorities as they are; else the servlet container's roles.
        return ClassUtils.isPresent(SECURITY_CONTEXT, resourceLoader.getClassLoader())
                ? new AuthorityAdminAccess(authority) : AdminAccess.containerRole(authority);
    }

    @Bean
    @ConditionalOnMissingBean
    SessionApiExceptionHandler mcpSessionApiExceptionHandler() {
        return new SessionApiExceptionHandler();
    }

    @Bean
    @ConditionalOnMissingBean(name = "mcpSessionApiRequestFilter")
    FilterRegistrationBean<SessionApiRequestFilter> mcpSessionApiRequestFilter(McpSessionProperties properties) {
        FilterRegistrationBean<SessionApiRequestFilter> registration = new FilterRegistrationBean<>(
                new SessionApiRequestFilter(properties.getWeb().getAllowedOrigins()));
        registration.setUrlPatterns(basePathPatterns(properties));
        registration.setOrder(FILTER_ORDER);
        return registration;
    }

    @Bean
    @ConditionalOnMissingBean(name = "mcpSessionApiErrorFilter")
    FilterRegistrationBean<SessionApiErrorFilter> mcpSessionApiErrorFilter(McpSessionProperties properties) {
        FilterRegistrationBean<SessionApiErrorFilter> registration = new FilterRegistrationBean<>(
                new SessionApiErrorFilter(properties.getWeb().getBasePath()));
        // The error dispatch goes to the application's error page, wherever it is; the filter looks at the
        // request it is for.
        registration.setDispatcherTypes(DispatcherType.ERROR);
        registration.setUrlPatterns(List.of("/*"));
        registration.setOrder(FILTER_ORDER);
        return registration;
    }

    /** Tomcat answers some bad requests before any filter runs: its report of them under the base path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = { "org.apache.catalina.valves.ErrorReportValve",
            "org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory" })
    static class TomcatErrorReportConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "mcpSessionTomcatErrorReport")
        WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> mcpSessionTomcatErrorReport(
                McpSessionProperties properties) {
            // Added after Spring Boot's own error report valve, so it is the one that reports.
            return (factory) -> factory.addContextCustomizers((context) -> context.getParent()
                .getPipeline()
                .addValve(new SessionApiErrorReportValve(context.getPath() + properties.getWeb().getBasePath())));
        }

    }

    private static List<String> basePathPatterns(McpSessionProperties properties) {
        String basePath = properties.getWeb().getBasePath().replaceAll("/+$", "");
        return List.of(basePath, basePath + "/*");
    }

    /** The time of a shutdown phase, as Spring's lifecycle gives it. */
    static Duration shutdownTimeout(Environment environment) {
        return environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase", Duration.class,
                Duration.ofSeconds(30));
    }

}
