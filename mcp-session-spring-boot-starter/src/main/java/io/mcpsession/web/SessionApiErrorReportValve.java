package io.mcpsession.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import org.springframework.http.MediaType;

import io.mcpsession.core.JsonText;

/**
 * Tomcat's error report for requests under the API's base path: the errors Tomcat answers itself, before any
 * filter or servlet runs (an encoded {@code /} or {@code \} in the path, a header too large to read), become the
 * same problem with a {@code code} as the API's own instead of Tomcat's HTML page. Other requests get Tomcat's
 * report as before. A request whose request line Tomcat cannot read at all has no path to match and keeps
 * Tomcat's answer.
 */
public final class SessionApiErrorReportValve extends ErrorReportValve {

    private final String pathPrefix;

    /**
     * @param pathPrefix the context path followed by the API's base path
     */
    public SessionApiErrorReportValve(String pathPrefix) {
        this.pathPrefix = pathPrefix.replaceAll("/+$", "");
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        if (!isUnderBasePath(request.getRequestURI())) {
            super.report(request, response, throwable);
            return;
        }
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        byte[] body = JsonText.toJsonBytes(SessionApiErrorFilter.problemOf(status));
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(new String(body, StandardCharsets.UTF_8));
                response.finishResponse();
            }
        }
        catch (IOException | IllegalStateException ex) {
            // The connection is going away; there is nobody to tell.
        }
    }

    private boolean isUnderBasePath(String uri) {
        return uri != null && (uri.equals(this.pathPrefix) || uri.startsWith(this.pathPrefix + "/"));
    }

}
