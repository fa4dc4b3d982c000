package io.mcpsession.benchmarks.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

/**
 * The baseline of the SSE delivery figure: the least a Spring MVC application does to fan a POSTed message out
 * to open event streams. No store, no cursor, no replay: the POST's thread writes one frame to every open
 * {@link ResponseBodyEmitter}.
 */
@RestController
public class BroadcastController {

    /** The path of the baseline stream ({@code GET}) and broadcast ({@code POST}). */
    public static final String PATH = "/bench/broadcast";

    private final CopyOnWriteArrayList<ResponseBodyEmitter> emitters = new CopyOnWriteArrayList<>();

    private final AtomicLong ids = new AtomicLong();

    @GetMapping(PATH)
    ResponseEntity<ResponseBodyEmitter> stream() throws IOException {
        ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L);
        emitter.onCompletion(() -> this.emitters.remove(emitter));
        emitter.onError((ex) -> this.emitters.remove(emitter));
        // Registered before the response starts: a client that has the headers receives every later broadcast.
        this.emitters.add(emitter);
        emitter.send("retry: 3000\n\n".getBytes(StandardCharsets.UTF_8));
        return ResponseEntity.ok()
            .header(HttpHeaders.CONTENT_TYPE, "text/event-stream")
            .header(HttpHeaders.CACHE_CONTROL, "no-cache, no-transform")
            .body(emitter);
    }

    @PostMapping(PATH)
    ResponseEntity<Void> broadcast(HttpServletRequest request) throws IOException {
        String data = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        byte[] frame = ("id: " + this.ids.incrementAndGet() + "\nevent: message\ndata: " + data + "\n\n")
            .getBytes(StandardCharsets.UTF_8);
        for (ResponseBodyEmitter emitter : this.emitters) {
            try {
                emitter.send(frame);
            }
            catch (IOException | IllegalStateException ex) {
                this.emitters.remove(emitter);
            }
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    /** Ends every baseline stream. */
    @DeleteMapping(PATH)
    ResponseEntity<Void> closeAll() {
        for (ResponseBodyEmitter emitter : this.emitters) {
            emitter.complete();
        }
        this.emitters.clear();
        return ResponseEntity.noContent().build();
    }

}
