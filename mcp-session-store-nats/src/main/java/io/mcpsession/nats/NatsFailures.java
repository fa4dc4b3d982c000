package io.mcpsession.nats;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.McpSessionException;
import io.nats.client.JetStreamApiException;

/**
 * Calls into NATS, with every failure that means "the store cannot be reached" turned into
 * {@code STORE_UNAVAILABLE} in the project's own words.
 */
final class NatsFailures {

    /** The server's code for a guarded publish whose expected sequence did not match (also a KV revision check). */
    static final int WRONG_LAST_SEQUENCE = 10071;

    /** The server's code for a message that is not there. */
    static final int NO_MESSAGE = 10037;

    /** The server's code for a stream (or bucket) that is not there. */
    static final int STREAM_NOT_FOUND = 10059;

    private NatsFailures() {
    }

    @FunctionalInterface
    interface NatsCall<T> {

        T call() throws IOException, JetStreamApiException, InterruptedException, TimeoutException;

    }

    /** A stream or bucket of the store vanished: the caller repairs the store's space and tries once more. */
    static final class MissingStream extends RuntimeException {

        MissingStream(Throwable cause) {
            super("A stream of the store is missing", cause, false, false);
        }

    }

    static <T> T call(NatsCall<T> call) {
        try {
            return call.call();
        }
        catch (JetStreamApiException ex) {
            if (ex.getApiErrorCode() == STREAM_NOT_FOUND) {
                throw new MissingStream(ex);
            }
            throw unavailable(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw unavailable(ex);
        }
        catch (IOException | TimeoutException | IllegalStateException ex) {
            throw unavailable(ex);
        }
    }

    static boolean isCode(JetStreamApiException ex, int code) {
        return ex.getApiErrorCode() == code;
    }

    static McpSessionException unavailable(Throwable cause) {
        return new McpSessionException(ErrorCode.STORE_UNAVAILABLE, "The NATS session store cannot be reached",
                cause);
    }

}
