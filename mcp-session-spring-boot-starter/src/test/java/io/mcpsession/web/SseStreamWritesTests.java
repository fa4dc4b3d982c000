package io.mcpsession.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import io.mcpsession.core.Cursor;
import io.mcpsession.sse.SseFrames;
import io.mcpsession.store.Subscription;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How an {@link SseStream} writes, without a container: a response whose client takes bytes or not as the test
 * says, and a pump that runs on the calling thread. The HTTP tests cover the same through real containers.
 */
class SseStreamWritesTests {

    private static final String RETRY = SseFrames.retry(Duration.ofSeconds(2));

    private static final String KEEPALIVE = SseFrames.comment("keepalive");

    private final ClientOutput out = new ClientOutput();

    private final List<String> log = new ArrayList<>();

    private final List<SseStream> ended = new ArrayList<>();

    private final SseStream stream = new SseStream(new LogSource(), Cursor.of(null, 0), Runnable::run,
            this.ended::add);

    @BeforeEach
    void open() throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/stream");
        request.setAsyncSupported(true);
        this.stream.open(request, new HttpServletResponseWrapper(new MockHttpServletResponse()) {

            @Override
            public ServletOutputStream getOutputStream() {
                return SseStreamWritesTests.this.out;
            }

        }, RETRY);
    }

    @Test
    void nothingIsWrittenBeforeTheContainerCanWriteAndTheRetryComesFirst() {
        this.stream.keepalive();
        this.log.add("one");
        this.stream.signal();
        assertThat(this.out.text()).isEmpty();
        this.out.writePossible();
        assertThat(this.out.text()).isEqualTo(RETRY + KEEPALIVE + frame(1, "one"));
    }

    @Test
    void aClientThatTakesNoBytesGetsNothingMoreUntilItDoes() {
        this.out.writePossible();
        this.out.stallAfterNextWrite = true;
        this.log.add("one");
        this.stream.signal();
        assertThat(this.out.text()).isEqualTo(RETRY + frame(1, "one"));
        assertThat(this.stream.stalledSince()).isNotZero();

        this.log.add("two");
        this.stream.signal();
        this.stream.keepalive();
        assertThat(this.out.text()).as("nothing is written while the client takes no bytes")
            .isEqualTo(RETRY + frame(1, "one"));

        this.out.ready = true;
        this.out.writePossible();
        assertThat(this.out.text()).isEqualTo(RETRY + frame(1, "one") + KEEPALIVE + frame(2, "two"));
        assertThat(this.stream.stalledSince()).isZero();
        assertThat(this.ended).isEmpty();
    }

    @Test
    void endingAStalledStreamReleasesIt() {
        this.out.writePossible();
        this.out.stallAfterNextWrite = true;
        this.log.add("one");
        this.stream.signal();
        this.stream.end();
        assertThat(this.ended).containsExactly(this.stream);
        this.log.add("two");
        this.stream.signal();
        this.out.ready = true;
        this.out.writePossible();
        assertThat(this.out.text()).isEqualTo(RETRY + frame(1, "one"));
    }

    private static String frame(long seq, String data) {
        return SseFrames.event(String.valueOf(seq), null, data);
    }

    /** A log of plain frames, one per entry of {@link #log}. */
    private final class LogSource implements StreamSource {

        @Override
        public @Nullable String sessionId() {
            return "writes";
        }

        @Override
        public Subscription subscribe(SseStream subscriber) {
            return () -> {
            };
        }

        @Override
        public Chunk next(Cursor cursor) {
            List<String> frames = new ArrayList<>();
            for (long seq = cursor.seq() + 1; seq <= SseStreamWritesTests.this.log.size(); seq++) {
                frames.add(frame(seq, SseStreamWritesTests.this.log.get((int) seq - 1)));
            }
            return new Chunk(frames, Cursor.of(null, SseStreamWritesTests.this.log.size()), false);
        }

    }

    /** The client's side of the response: it takes bytes while {@link #ready}, as a container reports it. */
    private static final class ClientOutput extends ServletOutputStream {

        private final ByteArrayOutputStream written = new ByteArrayOutputStream();

        boolean ready = true;

        /** Whether the next write fills what the client can take: the container holds some of it back. */
        boolean stallAfterNextWrite;

        private @Nullable WriteListener listener;

        @Override
        public boolean isReady() {
            return this.ready;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            this.listener = listener;
        }

        @Override
        public void write(int b) {
            this.written.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            this.written.write(bytes, offset, length);
            if (this.stallAfterNextWrite) {
                this.stallAfterNextWrite = false;
                this.ready = false;
            }
        }

        /** What a container does once the client can take bytes. */
        void writePossible() {
            try {
                this.listener.onWritePossible();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        }

        String text() {
            return this.written.toString(StandardCharsets.UTF_8);
        }

    }

}
