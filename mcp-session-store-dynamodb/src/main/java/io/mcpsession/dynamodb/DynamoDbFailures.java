package io.mcpsession.dynamodb;

import java.lang.System.Logger.Level;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.McpSessionException;

/**
 * Runs a request with bounded retries of throttling and outages (beyond the SDK's own), and turns what still
 * fails into {@code STORE_UNAVAILABLE}. Conditional-check failures are answers, not failures: they pass through.
 */
final class DynamoDbFailures {

    private static final System.Logger logger = System.getLogger(DynamoDbFailures.class.getName());

    /** Attempts of one request, the first included. */
    static final int ATTEMPTS = 3;

    private static final long BACKOFF_NANOS = 20_000_000;

    private DynamoDbFailures() {
    }

    static <T> T call(Supplier<T> request) {
        for (int attempt = 1;; attempt++) {
            try {
                return request.get();
            }
            catch (ConditionalCheckFailedException ex) {
                throw ex;
            }
            catch (SdkException ex) {
                if (!retryable(ex) || attempt == ATTEMPTS) {
                    throw unavailable(ex);
                }
                // Full jitter, so that throttled instances do not come back in step.
                LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(BACKOFF_NANOS << attempt));
            }
        }
    }

    static void run(Runnable request) {
        call(() -> {
            request.run();
            return null;
        });
    }

    /** Whether a failure may pass by itself: throttling, a server error, a network failure. */
    static boolean retryable(SdkException ex) {
        if (ex instanceof ProvisionedThroughputExceededException || ex instanceof RequestLimitExceededException
                || ex instanceof SdkClientException) {
            return true;
        }
        if (ex instanceof DynamoDbException dynamo) {
            String code = (dynamo.awsErrorDetails() != null) ? dynamo.awsErrorDetails().errorCode() : null;
            return dynamo.statusCode() >= 500 || "ThrottlingException".equals(code)
                    || "LimitExceededException".equals(code);
        }
        return false;
    }

    static McpSessionException unavailable(SdkException ex) {
        logger.log(Level.DEBUG, "A DynamoDB request failed", ex);
        return new McpSessionException(ErrorCode.STORE_UNAVAILABLE,
                "The session store is unavailable; try again later", ex);
    }

}
