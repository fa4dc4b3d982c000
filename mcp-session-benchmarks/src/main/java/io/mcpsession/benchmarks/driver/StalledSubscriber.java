package io.mcpsession.benchmarks.driver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A subscriber that opens a stream and never reads it after its status line: a client that stopped reading (a
 * suspended laptop, a stuck proxy). Its receive window is small, so the server soon has more than it can send.
 */
final class StalledSubscriber implements AutoCloseable {

    private static final String OK = "HTTP/1.1 200";

    private final Socket socket;

    private StalledSubscriber(Socket socket) {
        this.socket = socket;
    }

    static StalledSubscriber open(int port, String path) throws IOException {
        Socket socket = new Socket();
        // Set before connecting: the window is agreed in the handshake.
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        socket.setSoTimeout(60_000);
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        String status = new String(in.readNBytes(OK.length()), StandardCharsets.US_ASCII);
        if (!status.equals(OK)) {
            socket.close();
            throw new IOException("The stalled subscriber's stream did not open: " + status);
        }
        return new StalledSubscriber(socket);
    }

    @Override
    public void close() throws IOException {
        this.socket.close();
    }

}
