package io.mcpsession.jdbc;

import java.util.function.Supplier;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.CannotCreateTransactionException;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.McpSessionException;

/**
 * What the store's callers see of database failures: an unreachable database is {@code STORE_UNAVAILABLE} (with
 * no SQL in the message), and a deadlock or lock timeout is retried a few times before it is reported.
 */
final class JdbcFailures {

    private static final int ATTEMPTS = 5;

    private JdbcFailures() {
    }

    /** Runs {@code work}, retrying lock conflicts and translating an unreachable database. */
    static <T> T run(Supplier<T> work) {
        for (int attempt = 1;; attempt++) {
            try {
                return work.get();
            }
            catch (PessimisticLockingFailureException ex) {
                if (attempt == ATTEMPTS) {
                    throw unavailable(ex);
                }
            }
            catch (DataAccessResourceFailureException | TransientDataAccessResourceException
                    | QueryTimeoutException | CannotCreateTransactionException ex) {
                throw unavailable(ex);
            }
        }
    }

    private static McpSessionException unavailable(Exception cause) {
        return new McpSessionException(ErrorCode.STORE_UNAVAILABLE, "The session store is unavailable", cause);
    }

    /** Whether {@code ex} says the database could not be reached (rather than a bug in a statement). */
    static boolean isUnavailable(DataAccessException ex) {
        return ex instanceof DataAccessResourceFailureException || ex instanceof TransientDataAccessResourceException
                || ex instanceof QueryTimeoutException;
    }

}
