package io.mcpsession.web;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

import io.mcpsession.store.SessionStore;

/**
 * Records every string the application passes to its {@link SessionStore} (session ids, state keys, bodies), so
 * that a test can prove an input never reached the store. It wraps the store bean in a proxy of its interfaces.
 */
final class StoreCallRecorder {

    private final Queue<String> arguments = new ConcurrentLinkedQueue<>();

    /** Every string argument of every store call so far. */
    List<String> arguments() {
        return List.copyOf(this.arguments);
    }

    Object wrap(Object store) {
        Class<?>[] interfaces = ClassUtils.getAllInterfacesForClass(store.getClass());
        return Proxy.newProxyInstance(StoreCallRecorder.class.getClassLoader(), interfaces, (proxy, method, args) -> {
            if (args != null) {
                for (Object arg : args) {
                    if (arg instanceof String text) {
                        this.arguments.add(text);
                    }
                }
            }
            try {
                return method.invoke(store, args);
            }
            catch (InvocationTargetException ex) {
                throw ex.getCause();
            }
        });
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Configuration {

        @Bean
        static StoreCallRecorder storeCallRecorder() {
            return new StoreCallRecorder();
        }

        @Bean
        static BeanPostProcessor storeCallRecordingPostProcessor(StoreCallRecorder recorder) {
            return new BeanPostProcessor() {

                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    return (bean instanceof SessionStore) ? recorder.wrap(bean) : bean;
                }

            };
        }

    }

}
