package io.mcpsession.redis;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * Where a connection factory points: for the start-up log (host, port and database, never a password), and whether
 * it is a Redis Cluster.
 */
final class RedisLocation {

    private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
            RedisLocation.class.getClassLoader());

    private RedisLocation() {
    }

    /**
     * Whether the factory may spread keys over the slots of a Redis Cluster: a script may then touch one slot only.
     * A factory other than Lettuce's counts as one, as the store cannot tell.
     */
    static boolean isCluster(RedisConnectionFactory connectionFactory) {
        return !(LETTUCE_PRESENT && connectionFactory instanceof LettuceConnectionFactory lettuce)
                || lettuce.isClusterAware();
    }

    static String of(RedisConnectionFactory connectionFactory) {
        if (LETTUCE_PRESENT && connectionFactory instanceof LettuceConnectionFactory lettuce) {
            if (lettuce.isClusterAware()) {
                return "a Redis Cluster";
            }
            if (lettuce.isRedisSentinelAware()) {
                return "a Redis Sentinel group";
            }
            return lettuce.getHostName() + ":" + lettuce.getPort() + "/" + lettuce.getDatabase();
        }
        return connectionFactory.getClass().getSimpleName();
    }

}
