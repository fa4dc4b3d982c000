package io.mcpsession.web;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

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
    ResponseEntity<byte[]> handle(Exception ex) {
        logger.error("The mcp-session HTTP API failed", ex);
        return ApiProblem.internal().toResponse();
    }

}
