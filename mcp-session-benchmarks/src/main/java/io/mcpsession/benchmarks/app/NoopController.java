package io.mcpsession.benchmarks.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The baseline of the HTTP append figure: a POST that reads its JSON body and answers {@code 201} with a JSON
 * body the size of a stored event, doing nothing else. Same application, connector, filters and client.
 */
@RestController
public class NoopController {

    /** The path of the no-op POST. */
    public static final String PATH = "/bench/noop";

    /** About the size of the event the append answers with. */
    private static final byte[] RESPONSE = ("{\"sessionId\":\"bench-session-1\",\"seq\":1,\"id\":\"c1-1\",\"type\":"
            + "\"message\",\"data\":{\"text\":\"The quick brown fox jumps over the lazy dog\",\"n\":42},\"runId\":null,"
            + "\"metadata\":{},\"timestamp\":\"2025-01-01T00:00:00.000Z\",\"epoch\":\"0196a1b2c3d4e5f6\"}")
        .getBytes(StandardCharsets.UTF_8);

    @PostMapping(PATH)
    ResponseEntity<byte[]> noop(HttpServletRequest request) throws IOException {
        request.getInputStream().readAllBytes();
        return ResponseEntity.status(HttpStatus.CREATED).contentType(MediaType.APPLICATION_JSON).body(RESPONSE);
    }

}
