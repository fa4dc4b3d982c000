package io.mcpsession.autoconfigure;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * The configuration class of each store type, in detection order (as Spring Boot's {@code CacheConfigurations}).
 */
final class StoreConfigurations {

    private static final Map<StoreType, String> MAPPINGS;

    static {
        Map<StoreType, String> mappings = new EnumMap<>(StoreType.class);
        mappings.put(StoreType.JDBC, JdbcStoreConfiguration.class.getName());
        mappings.put(StoreType.REDIS, RedisStoreConfiguration.class.getName());
        mappings.put(StoreType.NATS, NatsStoreConfiguration.class.getName());
        mappings.put(StoreType.DYNAMODB, DynamoDbStoreConfiguration.class.getName());
        mappings.put(StoreType.MEMORY, InMemoryStoreConfiguration.class.getName());
        MAPPINGS = Collections.unmodifiableMap(mappings);
    }

    private StoreConfigurations() {
    }

    static String[] configurationClasses() {
        return MAPPINGS.values().toArray(String[]::new);
    }

    static StoreType typeOf(String configurationClassName) {
        return MAPPINGS.entrySet()
            .stream()
            .filter((entry) -> entry.getValue().equals(configurationClassName))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("Unknown store configuration " + configurationClassName));
    }

    static boolean isAvailable(StoreType type) {
        return MAPPINGS.containsKey(type);
    }

}
