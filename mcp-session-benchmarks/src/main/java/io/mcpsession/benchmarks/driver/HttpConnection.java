package io.mcpsession.benchmarks.driver;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client on one kept-alive loopback connection: it writes a request and reads the status
 * and body, nothing more, so that the client costs the same small amount for a figure and its baseline. Not
 * thread-safe: one per caller.
 */
public final class HttpConnection implements AutoCloseable {

    /** A response: its status and body. */
    public record Response(int status, byte[] body) {

        public String text() {
            return new String(this.body, StandardCharsets.UTF_8);
        }

    }

    private final Socket socket;

    private final InputStream in;

    private final OutputStream out;

    public HttpConnection(int port) throws IOException {
        this.socket = new Socket();
        this.socket.setTcpNoDelay(true);
        this.socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        this.socket.setSoTimeout(60_000);
        this.in = new BufferedInputStream(this.socket.getInputStream(), 16 * 1024);
        this.out = this.socket.getOutputStream();
    }

    /** The bytes of a request with a JSON body (or none when {@code body} is {@code null}). */
    public static byte[] request(String method, String path, String body) {
        StringBuilder request = new StringBuilder(256).append(method).append(' ').append(path)
            .append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        byte[] content = (body != null) ? body.getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (body != null) {
            request.append("Content-Type: application/json\r\nContent-Length: ").append(content.length).append("\r\n");
        }
        request.append("\r\n");
        byte[] head = request.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] bytes = new byte[head.length + content.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        System.arraycopy(content, 0, bytes, head.length, content.length);
        return bytes;
    }

    public Response send(String method, String path, String body) throws IOException {
        return send(request(method, path, body));
    }

    /** Writes a prepared request and reads its response. */
    public Response send(byte[] request) throws IOException {
        this.out.write(request);
        this.out.flush();
        return read();
    }

    private Response read() throws IOException {
        String statusLine = readLine();
        if (statusLine == null || statusLine.length() < 12) {
            throw new IOException("Connection closed before a response");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        String line;
        while ((line = readLine()) != null && !line.isEmpty()) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).strip());
            }
            else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (chunked) {
            return new Response(status, readChunked());
        }
        return new Response(status, (length > 0) ? this.in.readNBytes((int) length) : new byte[0]);
    }

    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine();
            if (size == null) {
                throw new IOException("Connection closed inside a chunked body");
            }
            int length = Integer.parseInt(size.split(";")[0].strip(), 16);
            if (length == 0) {
                readLine();
                return body.toByteArray();
            }
            body.write(this.in.readNBytes(length));
            readLine();
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder(64);
        int b;
        while ((b = this.in.read()) != -1) {
            if (b == '\n') {
                int end = line.length();
                return (end > 0 && line.charAt(end - 1) == '\r') ? line.substring(0, end - 1) : line.toString();
            }
            line.append((char) b);
        }
        return (line.length() > 0) ? line.toString() : null;
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
