package io.mcpsession.redis;

import java.io.IOException;
import java.util.Set;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.McpSessionException;

/**
 * Turns a Redis that cannot be reached into {@code STORE_UNAVAILABLE}, with a message that names nothing of the
 * store's internals. Other failures are bugs and stay as they are.
 */
final class RedisFailures {

    static final String UNAVAILABLE = "The session store is unavailable";

    /**
     * Lettuce's connection failures, and the {@code LOADING} answer of a Redis that restarted and is still reading
     * its data back; by name so that a Jedis-based factory needs no Lettuce on the class path.
     */
    private static final Set<String> CLIENT_FAILURES = Set.of("io.lettuce.core.RedisConnectionException",
            "io.lettuce.core.RedisCommandTimeoutException", "io.lettuce.core.RedisCommandInterruptedException",
            "io.lettuce.core.RedisLoadingException");

    private RedisFailures() {
    }

    /** The exception to throw for {@code ex}. */
    static RuntimeException translate(RuntimeException ex) {
        if (ex instanceof McpSessionException) {
            return ex;
        }
        if (isUnavailable(ex)) {
            return new McpSessionException(ErrorCode.STORE_UNAVAILABLE, UNAVAILABLE, ex);
        }
        return ex;
    }

    /** Whether {@code ex}, or one of its causes, says that Redis cannot be reached. */
    static boolean isUnavailable(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisConnectionFailureException || cause instanceof QueryTimeoutException
                    || cause instanceof DataAccessResourceFailureException || cause instanceof IOException
                    || isClientFailure(cause.getClass())) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    private static boolean isClientFailure(Class<?> type) {
        for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
            if (CLIENT_FAILURES.contains(candidate.getName())) {
                return true;
            }
        }
        return false;
    }

}
