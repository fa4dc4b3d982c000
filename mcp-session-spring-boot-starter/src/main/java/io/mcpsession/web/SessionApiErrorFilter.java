package io.mcpsession.web;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.util.StringUtils;

import io.mcpsession.core.ErrorCode;

/**
 * Answers the container's error dispatch of a request under the API's base path with a problem: the errors that
 * Spring MVC or another filter raised with {@code sendError} (an unknown route, a method the route does not allow,
 * an uncaught failure in a filter) get the same {@code application/problem+json} with a {@code code} as the
 * controller's own, in place of the application's error page. Errors elsewhere go on to that page untouched.
 * <p>
 * Register it for the {@code ERROR} dispatch only. Errors that the servlet container answers before any
 * application code runs (a request line or header it cannot parse, an encoded {@code /} in the path) never reach
 * it.
 */
public final class SessionApiErrorFilter implements Filter {

    private final String basePath;

    /**
     * @param basePath the API's base path, {@code mcp.session.web.base-path}
     */
    public SessionApiErrorFilter(String basePath) {
        this.basePath = basePath.replaceAll("/+$", "");
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest http = (HttpServletRequest) request;
        HttpServletResponse httpResponse = (HttpServletResponse) response;
        if (!isUnderBasePath(http) || httpResponse.isCommitted()) {
            chain.doFilter(request, response);
            return;
        }
        problemOf(statusOf(http)).writeTo(httpResponse);
    }

    private boolean isUnderBasePath(HttpServletRequest request) {
        if (!(request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String rawUri)) {
            return false;
        }
        // The path the container routed ("/api/../other" went to "/other", which is not ours).
        String uri = StringUtils.cleanPath(rawUri);
        String prefix = request.getContextPath() + this.basePath;
        return uri.equals(prefix) || uri.startsWith(prefix + "/");
    }

    private static int statusOf(HttpServletRequest request) {
        Object status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        return (status instanceof Integer code && code >= 400 && code <= 599) ? code : 500;
    }

    /** The problem for a status, in the project's words: the framework's messages may name its classes. */
    static ApiProblem problemOf(int status) {
        return switch (status) {
            case 400 -> ApiProblem.of(ErrorCode.INVALID_REQUEST, "The request is malformed");
            case 404 -> ApiProblem.of(404, "NOT_FOUND", "The session API has no such resource");
            case 405 -> ApiProblem.of(405, "METHOD_NOT_ALLOWED", "This resource does not take that method");
            case 406 -> ApiProblem.of(406, "NOT_ACCEPTABLE", "The session API answers JSON or event streams only");
            case 413 -> ApiProblem.of(ErrorCode.PAYLOAD_TOO_LARGE, "The request is too large");
            case 415 -> ApiProblem.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "The request body must be JSON (Content-Type: application/json)");
            default -> (status >= 500) ? ApiProblem.of(status, "INTERNAL_ERROR", "The request could not be completed")
                    : generic(status);
        };
    }

    private static ApiProblem generic(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        return (known != null) ? ApiProblem.of(status, known.name(), known.getReasonPhrase())
                : ApiProblem.of(status, "CLIENT_ERROR", "The request could not be served");
    }

}
