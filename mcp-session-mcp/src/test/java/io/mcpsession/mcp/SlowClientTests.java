package io.mcpsession.mcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;
import io.mcpsession.store.memory.InMemorySessionStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A client that stops reading its GET stream (resumed or listening): no thread waits for it (such streams are
 * written without blocking), the stream reads no more of the log meanwhile, its connection ends once it has taken
 * nothing for the write timeout, and it resumes from its last event id with every message, in order.
 */
class SlowClientTests {

    private static final String LATEST = "2025-11-25";

    /** 100 notifications of 64 KB: more than any socket buffers of a loopback connection hold. */
    private static final int COUNT = 100;

    private final SessionStore store = new InMemorySessionStore(StoreSettings.defaults(), Clock.systemUTC());

    private final McpTestClient client = new McpTestClient();

    private McpTestServer server;

    @AfterEach
    void stop() {
        if (this.server != null) {
            this.server.close();
        }
        this.store.close();
    }

    @Test
    void aResumedStreamWhoseClientStopsReadingEndsAndHoldsNoThread() throws Exception {
        this.server = McpTestServer.start(this.store, (builder) -> builder.writeTimeout(Duration.ofSeconds(1)));
        String sessionId = this.client.initialize(this.server.url(), LATEST);
        String primingId;
        try (McpTestClient.Stream call = this.client.call(this.server.url(), sessionId, 1, "shout",
                "{\"count\":" + COUNT + "}", "loud")) {
            call.next();
            primingId = call.lastEventId();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> this.server.provider().runningRequests() == 0);

        try (Socket stalled = new Socket()) {
            // 6.4 MB to replay to a client that reads nothing: the stream stops reading the log once the client
            // takes no more, and ends after the write timeout; no thread waits for the client meanwhile.
            open(stalled, "GET", sessionId, null, "Last-Event-ID: " + primingId);
            readStatus(stalled);
            await().atMost(Duration.ofSeconds(30)).until(() -> this.server.provider().openStreams() == 0);
        }

        try (McpTestClient.Stream resumed = this.client.listen(this.server.url(), sessionId, primingId)) {
            List<McpTestClient.Event> messages = resumed.untilEnd().stream()
                .filter((event) -> !event.data().isEmpty())
                .toList();
            assertThat(messages).hasSize(COUNT + 1);
            assertThat(messages.subList(0, COUNT))
                .extracting((event) -> event.json().at("/params/progress").asInt())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, COUNT).boxed().toList());
            assertThat(messages.get(COUNT).json().at("/result/content/0/text").asString()).isEqualTo("shouted " + COUNT);
        }
    }

    @Test
    void aListeningClientThatStopsReadingIsEndedAfterTheWriteTimeout() throws Exception {
        this.server = McpTestServer.start(this.store, (builder) -> builder.writeTimeout(Duration.ofSeconds(1)), 8192);
        String sessionId = this.client.initialize(this.server.url(), LATEST);
        try (Socket stalled = new Socket()) {
            open(stalled, "GET", sessionId, null, null);
            readStatus(stalled);
            await().atMost(Duration.ofSeconds(30)).until(() -> this.server.provider().openStreams() == 1);
            // Far less than the transport keeps for a client, far more than a small socket buffer holds: only the
            // write timeout can end this stream.
            String note = "~".repeat(16 * 1024);
            for (int i = 0; i < 30; i++) {
                this.server.provider().notifyClient(sessionId, "notifications/message",
                        Map.of("level", "info", "data", note)).block();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> this.server.provider().openStreams() == 0);
        }
        // The session lives on: a new stream opens.
        try (McpTestClient.Stream again = this.client.listen(this.server.url(), sessionId, null)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> this.server.provider().openStreams() == 1);
        }
    }

    /** Sends a request of the session on a socket whose receive window is small. */
    private void open(Socket socket, String method, String sessionId, String body, String header) throws IOException {
        URI url = URI.create(this.server.url());
        byte[] bytes = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
        // Set before connecting: the window is agreed in the handshake.
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(url.getHost(), url.getPort()));
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write((method + " " + url.getPath() + " HTTP/1.1\r\nHost: localhost\r\n"
                + ((body != null) ? "Content-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n" : "")
                + ((header != null) ? header + "\r\n" : "")
                + "Accept: application/json, text/event-stream\r\nMcp-Session-Id: " + sessionId + "\r\n"
                + "MCP-Protocol-Version: " + LATEST + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
    }

    /** Reads the status line only: from there on, the client reads nothing. */
    private static void readStatus(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        String status = new String(in.readNBytes("HTTP/1.1 200".length()), StandardCharsets.US_ASCII);
        assertThat(status).isEqualTo("HTTP/1.1 200");
    }

}
