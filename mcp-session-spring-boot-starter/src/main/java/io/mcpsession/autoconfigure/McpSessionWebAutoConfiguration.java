package io.mcpsession.autoconfigure;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

import io.mcpsession.store.SessionStore;
import io.mcpsession.web.AdminAccess;
import io.mcpsession.web.AuthorityAdminAccess;
import io.mcpsession.web.SessionApiController;
import io.mcpsession.web.SessionApiExceptionHandler;
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

    /** Request bodies beyond this many events' worth of bytes are refused unread. */
    private static final int MAX_BODY_EVENTS = 8;

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    SessionStreams mcpSessionStreams(SessionStore store, McpSessionProperties properties) {
        return new SessionStreams(store, properties.getSse().getKeepalive(), properties.getSse().getRetry(),
                properties.getTimeout());
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

    /** The time of a shutdown phase, as Spring's lifecycle gives it. */
    static Duration shutdownTimeout(Environment environment) {
        return environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase", Duration.class,
                Duration.ofSeconds(30));
    }

}
