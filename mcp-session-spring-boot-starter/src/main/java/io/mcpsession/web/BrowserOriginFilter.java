package io.mcpsession.web;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses browser requests from other sites: a request that carries an {@code Origin} header is served only when
 * that origin is the server's own or one of the allowed origins ({@code mcp.session.web.allowed-origins}); any
 * other gets {@code 403 ORIGIN_NOT_ALLOWED} before it reaches the API. Requests without {@code Origin} (curl,
 * server-to-server calls) are served as before. It adds no CORS headers: a listed origin whose pages read the API
 * needs the application's own CORS configuration as well.
 */
public final class BrowserOriginFilter extends OncePerRequestFilter {

    private static final String ANY_PORT = ":*";

    private final List<String> allowedOrigins;

    /**
     * @param allowedOrigins origins besides the server's own ({@code scheme://host[:port]}, {@code :*} for any
     * port, {@code *} for any origin at all)
     */
    public BrowserOriginFilter(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins.stream().map(BrowserOriginFilter::normalize).toList();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin == null || isAllowed(origin, request)) {
            chain.doFilter(request, response);
            return;
        }
        ApiProblem.of(403, "ORIGIN_NOT_ALLOWED", "Requests from this origin are not allowed").writeTo(response);
    }

    private boolean isAllowed(String origin, HttpServletRequest request) {
        String normalized = normalize(origin);
        for (String allowed : this.allowedOrigins) {
            if (allowed.equals("*") || allowed.equals(normalized) || (allowed.endsWith(ANY_PORT)
                    && withoutPort(normalized).equals(allowed.substring(0, allowed.length() - ANY_PORT.length())))) {
                return true;
            }
        }
        try {
            return !CorsUtils.isCorsRequest(request);
        }
        catch (IllegalArgumentException ex) {
            // An Origin that is no URL is nobody's own.
            return false;
        }
    }

    /** {@code scheme://host:port} in lower case with the scheme's default port written out. */
    private static String normalize(String origin) {
        String value = origin.strip().toLowerCase(Locale.ROOT).replaceAll("/+$", "");
        if (value.equals("*") || value.endsWith(ANY_PORT)) {
            return value;
        }
        URI uri = parse(value);
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
            return value;
        }
        int port = (uri.getPort() != -1) ? uri.getPort() : defaultPort(uri.getScheme());
        return uri.getScheme() + "://" + uri.getHost() + ((port != -1) ? ":" + port : "");
    }

    private static String withoutPort(String origin) {
        int colon = origin.lastIndexOf(':');
        return (colon > origin.indexOf("://") + 2) ? origin.substring(0, colon) : origin;
    }

    private static @Nullable URI parse(String value) {
        try {
            return new URI(value);
        }
        catch (URISyntaxException ex) {
            return null;
        }
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
    }

}
