package io.mcpsession.benchmarks.driver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * A minimal MCP client (Streamable HTTP, protocol 2025-11-25) on one kept-alive loopback connection, in the manner
 * of {@link HttpConnection}: it opens a session ({@code initialize}, then {@code notifications/initialized}), then
 * calls tools, reading each response stream's SSE events and noting when the JSON-RPC response arrived. It looks
 * into the JSON only as far as telling a notification from the response, so that it costs the same small amount
 * against either transport. Not thread-safe: one per client.
 */
public final class McpConnection implements AutoCloseable {

    /** The MCP endpoint of the benchmark application. */
    public static final String PATH = "/mcp";

    private static final String PROTOCOL_VERSION = "2025-11-25";

    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    private final Socket socket;

    private final InputStream in;

    private final OutputStream out;

    private @Nullable String sessionId;

    private long nextId = 1;

    // The response being read.

    private boolean chunked;

    private boolean lastChunk;

    private boolean inChunk;

    private long remaining;

    private final byte[] buffer = new byte[16 * 1024];

    private int position;

    private int limit;

    /** The body line last read by {@link #nextLine()}. */
    private byte[] line = new byte[1024];

    private int lineLength;

    public McpConnection(int port) throws IOException {
        this.socket = new Socket();
        this.socket.setTcpNoDelay(true);
        this.socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        this.socket.setSoTimeout(60_000);
        this.in = this.socket.getInputStream();
        this.out = this.socket.getOutputStream();
    }

    /** Opens an MCP session on this connection; every later call belongs to it. */
    public void initialize() throws IOException {
        Head head = post("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\""
                + PROTOCOL_VERSION + "\",\"capabilities\":{},\"clientInfo\":{\"name\":\"mcp-session-benchmarks\","
                + "\"version\":\"1\"}}}");
        String body = readBody();
        if (head.status != 200 || head.sessionId == null || !body.contains("\"protocolVersion\"")) {
            throw new IllegalStateException("initialize answered HTTP " + head.status + " with session "
                    + head.sessionId + ": " + body);
        }
        this.sessionId = head.sessionId;
        head = post("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        body = readBody();
        if (head.status != 202) {
            throw new IllegalStateException("notifications/initialized answered HTTP " + head.status + ": " + body);
        }
    }

    /**
     * Calls {@code tool} with {@code arguments} (a JSON object) and a progress token, and reads its response stream
     * to its end.
     * @return when the JSON-RPC response arrived ({@link System#nanoTime()})
     * @throws IllegalStateException for an error, or a count of progress notifications other than
     * {@code notifications}
     */
    public long callTool(String tool, String arguments, int notifications) throws IOException {
        long id = this.nextId++;
        Head head = post("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"tools/call\",\"params\":{\"name\":\""
                + tool + "\",\"arguments\":" + arguments + ",\"_meta\":{\"progressToken\":" + id + "}}}");
        if (head.status != 200) {
            throw new IllegalStateException("tools/call answered HTTP " + head.status + ": " + readBody());
        }
        if (!head.eventStream) {
            String response = readBody();
            long answeredAt = System.nanoTime();
            check(response, id, 0, notifications);
            return answeredAt;
        }
        int progress = 0;
        long answeredAt = 0;
        String response = null;
        String data = null;
        while (nextLine()) {
            if (this.lineLength == 0) {
                if (data != null && !data.isEmpty()) {
                    String message = data;
                    if (message.contains("\"method\":\"notifications/progress\"")) {
                        progress++;
                    }
                    else if (response == null && isResponse(message, id)) {
                        answeredAt = System.nanoTime();
                        response = message;
                    }
                }
                data = null;
            }
            else if (startsWith(DATA)) {
                int from = (this.lineLength > DATA.length && this.line[DATA.length] == ' ') ? DATA.length + 1
                        : DATA.length;
                String value = new String(this.line, from, this.lineLength - from, StandardCharsets.UTF_8);
                data = (data == null) ? value : data + "\n" + value;
            }
        }
        if (response == null) {
            throw new IllegalStateException("The stream of tools/call " + id + " ended without its response");
        }
        check(response, id, progress, notifications);
        return answeredAt;
    }

    private static void check(String response, long id, int progress, int notifications) {
        if (!isResponse(response, id) || response.contains("\"error\":{") || response.contains("\"isError\":true")) {
            throw new IllegalStateException("tools/call " + id + " failed: " + response);
        }
        if (progress != notifications) {
            throw new IllegalStateException("tools/call " + id + " sent " + progress + " progress notifications, not "
                    + notifications);
        }
    }

    private boolean startsWith(byte[] prefix) {
        return this.lineLength >= prefix.length
                && Arrays.equals(this.line, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static boolean isResponse(String message, long id) {
        return !message.contains("\"method\":") && (message.contains("\"id\":" + id + ",")
                || message.contains("\"id\":" + id + "}"));
    }

    // HTTP

    private record Head(int status, @Nullable String sessionId, boolean eventStream) {
    }

    private Head post(String body) throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder request = new StringBuilder(256).append("POST ").append(PATH)
            .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n")
            .append("Accept: application/json, text/event-stream\r\nContent-Length: ").append(content.length)
            .append("\r\n");
        if (this.sessionId != null) {
            request.append("Mcp-Session-Id: ").append(this.sessionId).append("\r\nMCP-Protocol-Version: ")
                .append(PROTOCOL_VERSION).append("\r\n");
        }
        this.out.write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        this.out.write(content);
        this.out.flush();
        return readHead();
    }

    private Head readHead() throws IOException {
        String statusLine = headLine();
        if (statusLine.length() < 12) {
            throw new IOException("Not a status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        String sessionId = null;
        boolean eventStream = false;
        this.chunked = false;
        this.lastChunk = false;
        this.inChunk = false;
        this.remaining = 0;
        String header;
        while (!(header = headLine()).isEmpty()) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                this.remaining = Long.parseLong(header.substring(15).strip());
            }
            else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                this.chunked = true;
            }
            else if (lower.startsWith("content-type:")) {
                eventStream = lower.contains("text/event-stream");
            }
            else if (lower.startsWith("mcp-session-id:")) {
                sessionId = header.substring(15).strip();
            }
        }
        return new Head(status, sessionId, eventStream);
    }

    /** The rest of the body, as text. */
    private String readBody() throws IOException {
        StringBuilder body = new StringBuilder();
        while (nextLine()) {
            body.append(new String(this.line, 0, this.lineLength, StandardCharsets.UTF_8)).append('\n');
        }
        return body.toString();
    }

    /**
     * Reads the next line of the body (the transfer coding removed) into {@link #line}, without its line end.
     * @return false at the end of the body
     */
    private boolean nextLine() throws IOException {
        this.lineLength = 0;
        while (true) {
            if (this.remaining == 0 && !nextChunk()) {
                return this.lineLength > 0;
            }
            if (this.position == this.limit) {
                fill();
            }
            int end = (int) Math.min(this.limit, this.position + this.remaining);
            int i = this.position;
            while (i < end && this.buffer[i] != '\n') {
                i++;
            }
            int length = i - this.position;
            if (this.lineLength + length > this.line.length) {
                this.line = Arrays.copyOf(this.line, Math.max(this.line.length * 2, this.lineLength + length));
            }
            System.arraycopy(this.buffer, this.position, this.line, this.lineLength, length);
            this.lineLength += length;
            int consumed = (i < end) ? length + 1 : length;
            this.position += consumed;
            this.remaining -= consumed;
            if (i < end) {
                if (this.lineLength > 0 && this.line[this.lineLength - 1] == '\r') {
                    this.lineLength--;
                }
                return true;
            }
        }
    }

    /** Moves to the next chunk of a chunked body; false at the end of the body. */
    private boolean nextChunk() throws IOException {
        if (!this.chunked || this.lastChunk) {
            return false;
        }
        if (this.inChunk) {
            headLine();
        }
        this.inChunk = true;
        long size = Long.parseLong(headLine().split(";")[0].strip(), 16);
        if (size == 0) {
            while (!headLine().isEmpty()) {
                // Trailers: none expected.
            }
            this.lastChunk = true;
            return false;
        }
        this.remaining = size;
        return true;
    }

    /** A line of the head or of the chunked coding (ASCII), without its line end. */
    private String headLine() throws IOException {
        StringBuilder text = new StringBuilder(64);
        while (true) {
            if (this.position == this.limit) {
                fill();
            }
            int i = this.position;
            while (i < this.limit && this.buffer[i] != '\n') {
                i++;
            }
            text.append(new String(this.buffer, this.position, i - this.position, StandardCharsets.ISO_8859_1));
            if (i < this.limit) {
                this.position = i + 1;
                int length = text.length();
                return (length > 0 && text.charAt(length - 1) == '\r') ? text.substring(0, length - 1)
                        : text.toString();
            }
            this.position = i;
        }
    }

    private void fill() throws IOException {
        int read = this.in.read(this.buffer);
        if (read == -1) {
            throw new IOException("Connection closed inside a response");
        }
        this.position = 0;
        this.limit = read;
    }

    @Override
    public void close() {
        try {
            this.socket.close();
        }
        catch (IOException ex) {
            // Closing anyway.
        }
    }

}
