package io.mcpsession.web;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;

import io.mcpsession.core.McpSessionException;

/**
 * Maps failures of the HTTP API to problem responses.
 */
@RestControllerAdvice(assignableTypes = SessionApiController.class)
public class SessionApiExceptionHandler {

    private static final Log logger = LogFactory.getLog(SessionApiExceptionHandler.class);

    @ExceptionHandler
    ResponseEntity<byte[]> handle(McpSessionException ex) {
        return ApiProblem.of(ex).toResponse();
    }

    @ExceptionHandler
    void handle(AsyncRequestNotUsableException ex) {
        // The client went away; there is nobody to answer.
    }

    @ExceptionHandler
    void handle(AsyncRequestTimeoutException ex) {
        // A stream outlived the container's async timeout (it is ending, e.g. at shutdown); its client resumes.
    }

    @ExceptionHandler
    ResponseEntity<byte[]> handle(Exception ex) {
        logger.error("The mcp-session HTTP API failed", ex);
        return ApiProblem.internal().toResponse();
    }

}
