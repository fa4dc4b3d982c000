package io.mcpsession.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.mcpsession.web.EventStreamParser.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading its stream (SPEC §6 streams; {@code mcp.session.sse.write-timeout}): its stream is
 * ended once it has taken no bytes for the write timeout, and a reader of the same session meanwhile gets every
 * event. The stalled client is a raw socket with a small receive window that never reads after its request.
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "mcp.session.sse.write-timeout=1s", "mcp.session.sse.threads=2" })
class StalledClientTests extends WebTestSupport {

    /** Events of about 64 KB: 160 of them exceed any socket buffers a loopback connection may hold. */
    private static final int EVENTS = 160;

    private static final String DATA = "\"" + "x".repeat(64 * 1024) + "\"";

    @Autowired
    SessionStreams streams;

    @Test
    void aClientThatStopsReadingIsEndedAndOthersGetEveryEvent() throws Exception {
        String id = createSession("stalled");
        long stalledBefore = this.streams.stalledStreams();
        try (Socket stalled = stalledStream(sessionPath(id) + "/events/stream");
                SseConnection reader = this.http.stream(sessionPath(id) + "/events/stream")) {
            assertThat(reader.status()).isEqualTo(200);
            for (int i = 1; i <= EVENTS; i++) {
                this.http.postJson(sessionPath(id) + "/events", "{\"type\":\"big\",\"data\":" + DATA + "}").expect(201);
                Event event = reader.nextEvent(ITEM_TIMEOUT);
                assertThat(event.id()).endsWith(":" + i);
            }
            await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(this.streams.stalledStreams()).isEqualTo(stalledBefore + 1));
            // The reader's stream is still open and live.
            this.http.postJson(sessionPath(id) + "/events", "{\"data\":\"after\"}").expect(201);
            assertThat(reader.nextEvent(ITEM_TIMEOUT).id()).endsWith(":" + (EVENTS + 1));
        }
    }

    /** Opens a stream and never reads its response: the server soon has more than the connection can hold. */
    private Socket stalledStream(String path) throws IOException {
        Socket socket = new Socket();
        // A small window, set before connecting, so that the server's writes fill it early.
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("localhost", this.port));
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // The status line shows the stream is open; nothing is read after it.
        InputStream in = socket.getInputStream();
        byte[] status = in.readNBytes("HTTP/1.1 200".length());
        assertThat(new String(status, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        return socket;
    }

}
