package io.mcpsession.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;

import io.mcpsession.core.Cursor;
import io.mcpsession.sse.SseFrames;
import io.mcpsession.store.Subscription;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The order of an {@link SseStream}'s frames, without a container: the keepalive ticker may reach a stream that
 * {@link SessionStreams} has registered but not yet opened, and the retry must still be its first frame.
 */
class SseStreamOrderTests {

    private static final String RETRY = SseFrames.retry(Duration.ofSeconds(2));

    private static final String KEEPALIVE = SseFrames.comment("keepalive");

    private final List<String> written = new CopyOnWriteArrayList<>();

    private final ResponseBodyEmitter emitter = new ResponseBodyEmitter(0L) {

        @Override
        public void send(Object object) {
            SseStreamOrderTests.this.written.add(new String((byte[]) object, StandardCharsets.UTF_8));
        }

    };

    /** A stream whose pump runs on the calling thread, over a source with nothing to read. */
    private final SseStream stream = new SseStream(this.emitter, new StreamSource() {

        @Override
        public String sessionId() {
            return "order";
        }

        @Override
        public Subscription subscribe(SseStream subscriber) {
            return () -> {
            };
        }

        @Override
        public Chunk next(Cursor cursor) {
            return new Chunk(List.of(), cursor, false);
        }

    }, Cursor.of(null, 0), Runnable::run, (ended) -> {
    });

    @Test
    void aKeepaliveBeforeTheRetryIsNotSent() throws Exception {
        this.stream.keepalive();
        this.stream.open(RETRY);
        assertThat(this.written).containsExactly(RETRY);
        this.stream.keepalive();
        assertThat(this.written).containsExactly(RETRY, KEEPALIVE);
    }

}
