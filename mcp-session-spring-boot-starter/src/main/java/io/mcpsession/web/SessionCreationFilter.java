package io.mcpsession.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ResponseEntity;
import org.springframework.web.filter.OncePerRequestFilter;

import io.mcpsession.core.ErrorCode;

/**
 * Applies the {@link SessionCreationLimiter} to {@code POST {base}}, after authentication (so that the
 * principal is known) and before the request reaches the controller and the store.
 */
public final class SessionCreationFilter extends OncePerRequestFilter {

    private final String basePath;

    private final SessionCreationLimiter limiter;

    /**
     * @param basePath the API's base path ({@code mcp.session.web.base-path})
     * @param limiter who may create a session now
     */
    public SessionCreationFilter(String basePath, SessionCreationLimiter limiter) {
        this.basePath = basePath.replaceAll("/+$", "");
        this.limiter = limiter;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length()).replaceAll("/+$", "");
        return !"POST".equals(request.getMethod()) || !path.equals(this.basePath);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (this.limiter.tryAcquire(request)) {
            chain.doFilter(request, response);
            return;
        }
        ResponseEntity<byte[]> problem = ApiProblem
            .of(ErrorCode.TOO_MANY_SESSIONS_CREATED, "Too many sessions created: try again in a minute")
            .toResponse();
        response.setStatus(problem.getStatusCode().value());
        response.setContentType(problem.getHeaders().getContentType().toString());
        response.setHeader("Retry-After", "60");
        response.getOutputStream().write(problem.getBody());
    }

}
