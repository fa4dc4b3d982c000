package io.mcpsession.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.util.HtmlUtils;

/**
 * The session console at {@code {base}/console}: one page, its script and its style sheet, all shipped in this jar,
 * that show sessions, their event logs and the feed live through the HTTP API alone (and the actuator's health and
 * metrics where they are exposed on the same port). The page learns both paths from data attributes; its
 * Content-Security-Policy lets only this origin's script and styles run or load, so nothing read from a log can run
 * as script even if it were ever inserted as markup (the script inserts text only).
 */
@Controller
@RequestMapping("${mcp.session.web.base-path:/mcp-sessions}/console")
public class SessionConsoleController {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final MediaType JAVASCRIPT = new MediaType("text", "javascript", StandardCharsets.UTF_8);

    private static final MediaType CSS = new MediaType("text", "css", StandardCharsets.UTF_8);

    private final String basePath;

    private final @Nullable String actuatorPath;

    private final String page = text("index.html");

    private final byte[] script = text("console.js").getBytes(StandardCharsets.UTF_8);

    private final byte[] styles = text("console.css").getBytes(StandardCharsets.UTF_8);

    /**
     * @param basePath the HTTP API's base path, without the servlet context path
     * @param actuatorPath the actuator's base path on this port, without the context path, or {@code null} where the
     * page cannot reach it
     */
    public SessionConsoleController(String basePath, @Nullable String actuatorPath) {
        this.basePath = basePath.replaceAll("/+$", "");
        this.actuatorPath = (actuatorPath != null) ? actuatorPath.replaceAll("/+$", "") : null;
    }

    @GetMapping
    ResponseEntity<String> page(HttpServletRequest request) {
        String context = request.getContextPath();
        String html = this.page.replace("{{base}}", HtmlUtils.htmlEscape(context + this.basePath))
            .replace("{{actuator}}", (this.actuatorPath != null) ? HtmlUtils.htmlEscape(context + this.actuatorPath) : "");
        return secured(MediaType.TEXT_HTML).body(html);
    }

    @GetMapping("/console.js")
    ResponseEntity<byte[]> script() {
        return secured(JAVASCRIPT).body(this.script);
    }

    @GetMapping("/console.css")
    ResponseEntity<byte[]> styles() {
        return secured(CSS).body(this.styles);
    }

    private static ResponseEntity.BodyBuilder secured(MediaType type) {
        return ResponseEntity.ok()
            .contentType(type)
            .cacheControl(CacheControl.noCache())
            .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            .header("X-Content-Type-Options", "nosniff")
            .header("Referrer-Policy", "no-referrer");
    }

    private static String text(String name) {
        try (InputStream in = new ClassPathResource("console/" + name, SessionConsoleController.class).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("The console's " + name + " is missing from the jar", ex);
        }
    }

}
