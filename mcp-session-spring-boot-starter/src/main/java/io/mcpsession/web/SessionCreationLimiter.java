package io.mcpsession.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Decides whether a caller may create a session now ({@code POST {base}}); a refused caller gets
 * {@code 429 TOO_MANY_SESSIONS_CREATED} before anything reaches the store. Define a bean of this type to apply a
 * policy of your own (per tenant, shared across instances); {@code mcp.session.web.max-creates-per-minute} gives a
 * simple one per principal or address.
 */
@FunctionalInterface
public interface SessionCreationLimiter {

    /** Whether the caller of {@code request} may create a session now; a {@code true} counts as one creation. */
    boolean tryAcquire(HttpServletRequest request);

    /**
     * At most {@code perMinute} creations per principal (or, for anonymous callers, per remote address) in each
     * minute, on this instance.
     */
    static SessionCreationLimiter perCaller(int perMinute) {
        return new PerCallerCreationLimiter(perMinute, System::nanoTime);
    }

}
