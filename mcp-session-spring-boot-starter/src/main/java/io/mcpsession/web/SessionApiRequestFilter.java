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
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;

import io.mcpsession.core.ErrorCode;

/**
 * Checks requests under the API's base path before Spring MVC sees them:
 * <ul>
 * <li>Browser requests from other sites are refused: a request that carries an {@code Origin} header is served
 * only when that origin is the server's own or one of the allowed origins ({@code mcp.session.web.allowed-origins});
 * any other gets {@code 403 ORIGIN_NOT_ALLOWED}. Requests without {@code Origin} (curl, server-to-server calls) are
 * served as before. No CORS headers are added: a listed origin whose pages read the API needs the application's
 * own CORS configuration as well.</li>
 * <li>A {@code Content-Type} that is no concrete media type ({@code *}{@code /*}, {@code garbage}) or a form gets
 * {@code 415 UNSUPPORTED_MEDIA_TYPE}: Spring MVC's handler lookup (of router functions) fails on the first with a
 * 500, and Spring's form filter on a malformed form body.</li>
 * </ul>
 */
public final class SessionApiRequestFilter extends OncePerRequestFilter {

    private static final String ANY_PORT = ":*";

    private final List<String> allowedOrigins;

    /**
     * @param allowedOrigins origins besides the server's own ({@code scheme://host[:port]}, {@code :*} for any
     * port, {@code *} for any origin at all)
     */
    public SessionApiRequestFilter(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins.stream().map(SessionApiRequestFilter::normalize).toList();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !isAllowed(origin, request)) {
            ApiProblem.of(403, "ORIGIN_NOT_ALLOWED", "Requests from this origin are not allowed").writeTo(response);
            return;
        }
        String contentType = request.getContentType();
        if (contentType != null && (!isConcrete(contentType) || isForm(contentType))) {
            ApiProblem.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "The request body must be JSON (Content-Type: application/json)").writeTo(response);
            return;
        }
        chain.doFilter(request, response);
    }

    /** A form is never JSON, and Spring's form filter would fail with a 500 on a malformed one. */
    private static boolean isForm(String contentType) {
        MediaType type = MediaType.parseMediaType(contentType);
        return MediaType.APPLICATION_FORM_URLENCODED.includes(type) || MediaType.MULTIPART_FORM_DATA.includes(type);
    }

    private static boolean isConcrete(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return !type.isWildcardType() && !type.isWildcardSubtype();
        }
        catch (InvalidMediaTypeException ex) {
            return false;
        }
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
