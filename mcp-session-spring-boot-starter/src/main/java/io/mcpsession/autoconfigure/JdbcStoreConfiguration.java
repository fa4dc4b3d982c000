package io.mcpsession.autoconfigure;

import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.EmbeddedDatabaseConnection;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import io.mcpsession.autoconfigure.McpSessionProperties.SchemaInitialization;
import io.mcpsession.jdbc.JdbcPlatform;
import io.mcpsession.jdbc.JdbcSchema;
import io.mcpsession.jdbc.JdbcSessionStore;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

/**
 * The JDBC store: chosen where a {@link DataSource} exists, first among the stores. Its tables are created as
 * {@code mcp.session.store.jdbc.initialize-schema} says, after Flyway or Liquibase have run.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ JdbcTemplate.class, EmbeddedDatabaseConnection.class })
@ConditionalOnBean(DataSource.class)
@ConditionalOnMissingBean(SessionStore.class)
@Conditional(StoreCondition.class)
class JdbcStoreConfiguration {

    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    JdbcSessionStore jdbcSessionStore(DataSource dataSource, StoreSettings settings, McpSessionProperties properties) {
        McpSessionProperties.Jdbc jdbc = properties.getStore().getJdbc();
        JdbcPlatform platform = JdbcPlatform.of(dataSource);
        if (shouldInitialize(jdbc.getInitializeSchema(), platform, dataSource)) {
            JdbcSchema.initialize(dataSource, platform, jdbc.getTablePrefix());
        }
        return new JdbcSessionStore(dataSource, settings, Clock.systemUTC(), jdbc.getTablePrefix(),
                jdbc.getPollInterval(), jdbc.isListenNotify());
    }

    private static boolean shouldInitialize(SchemaInitialization mode, JdbcPlatform platform, DataSource dataSource) {
        return switch (mode) {
            case ALWAYS -> true;
            case NEVER -> false;
            // H2 and SQLite run inside the application, in memory or in a file of its own.
            case EMBEDDED -> platform.embedded() || EmbeddedDatabaseConnection.isEmbedded(dataSource);
        };
    }

}
