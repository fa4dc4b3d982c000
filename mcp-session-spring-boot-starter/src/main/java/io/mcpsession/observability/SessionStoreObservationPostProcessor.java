package io.mcpsession.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;

import io.mcpsession.store.SessionStore;

/**
 * Wraps every {@link SessionStore} bean in an {@link ObservedSessionStore} where a {@link MeterRegistry} exists,
 * so that each backend is measured at the same boundary without instrumenting each store.
 */
public class SessionStoreObservationPostProcessor implements BeanPostProcessor {

    private final ObjectProvider<MeterRegistry> meterRegistry;

    private final ObjectProvider<ObservationRegistry> observationRegistry;

    public SessionStoreObservationPostProcessor(ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<ObservationRegistry> observationRegistry) {
        this.meterRegistry = meterRegistry;
        this.observationRegistry = observationRegistry;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof SessionStore store && !(bean instanceof ObservedSessionStore)) {
            MeterRegistry meters = this.meterRegistry.getIfAvailable();
            if (meters != null) {
                return new ObservedSessionStore(store, meters,
                        this.observationRegistry.getIfAvailable(() -> ObservationRegistry.NOOP));
            }
        }
        return bean;
    }

}
