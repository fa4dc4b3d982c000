package io.mcpsession.web;

import java.io.IOException;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.JsonText;
import io.mcpsession.core.McpSessionException;

/**
 * An RFC 9457 problem with the contract's stable {@code code}. Written as {@code application/problem+json}
 * whatever the request's {@code Accept}, and never with a class name, SQL or a stack trace in it.
 *
 * @param type always {@code about:blank}: the {@code code} identifies the problem
 * @param title the short description of the status
 * @param status the HTTP status
 * @param detail what went wrong, for a human
 * @param code the contract's error code
 */
@JsonPropertyOrder({ "type", "title", "status", "detail", "code" })
record ApiProblem(String type, String title, int status, String detail, String code) {

    static ApiProblem of(McpSessionException ex) {
        return of(ex.code(), ex.getMessage());
    }

    static ApiProblem of(ErrorCode code, String detail) {
        return new ApiProblem("about:blank", titleOf(code.httpStatus()), code.httpStatus(), detail, code.name());
    }

    /** A problem whose code is not one of the store's (refused origins, errors the framework raised). */
    static ApiProblem of(int status, String code, String detail) {
        return new ApiProblem("about:blank", titleOf(status), status, detail, code);
    }

    /** A problem for a failure that has no code of the contract. */
    static ApiProblem internal() {
        return new ApiProblem("about:blank", titleOf(500), 500, "The request could not be completed", "INTERNAL_ERROR");
    }

    /** Writes the problem straight to a servlet response, for filters that answer before Spring MVC does. */
    void writeTo(HttpServletResponse response) throws IOException {
        byte[] body = JsonText.toJsonBytes(this);
        response.setStatus(this.status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    ResponseEntity<byte[]> toResponse() {
        return ResponseEntity.status(this.status)
            .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE)
            .body(JsonText.toJsonBytes(this));
    }

    private static String titleOf(int status) {
        org.springframework.http.HttpStatus known = org.springframework.http.HttpStatus.resolve(status);
        return (known != null) ? known.getReasonPhrase() : "Error";
    }

}
