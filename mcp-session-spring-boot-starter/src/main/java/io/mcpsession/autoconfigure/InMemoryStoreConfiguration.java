package io.mcpsession.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.memory.InMemorySessionStore;

/**
 * The in-memory store: always available, chosen when no other store is.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(SessionStore.class)
@Conditional(StoreCondition.class)
class InMemoryStoreConfiguration {

    @Bean(destroyMethod = "close")
    InMemorySessionStore inMemorySessionStore(StoreSettings settings) {
        return new InMemorySessionStore(settings);
    }

}
