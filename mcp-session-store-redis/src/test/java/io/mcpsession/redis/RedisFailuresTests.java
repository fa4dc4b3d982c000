package io.mcpsession.redis;

import io.lettuce.core.RedisLoadingException;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisSystemException;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.McpSessionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which Redis failures mean that the store is unavailable.
 */
class RedisFailuresTests {

    @Test
    void aRedisStillLoadingItsDataAfterARestartIsUnavailable() {
        RuntimeException loading = new RedisSystemException("Error in execution",
                new RedisLoadingException("LOADING Redis is loading the dataset in memory"));

        RuntimeException translated = RedisFailures.translate(loading);

        assertThat(translated).isInstanceOfSatisfying(McpSessionException.class,
                (ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));
    }

    @Test
    void otherFailuresStayAsTheyAre() {
        RuntimeException bug = new RedisSystemException("Error in execution",
                new IllegalStateException("ERR wrong number of arguments"));

        assertThat(RedisFailures.translate(bug)).isSameAs(bug);
    }

}
