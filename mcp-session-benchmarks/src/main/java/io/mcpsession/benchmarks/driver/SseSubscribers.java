package io.mcpsession.benchmarks.driver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many SSE subscribers over loopback, read by one selector thread: each subscriber costs a socket and a small
 * parser, not a thread, so a thousand of them do not crowd the two cores the server runs on. Every event is
 * handed to a {@link Listener} with the time its bytes were read.
 */
public final class SseSubscribers implements AutoCloseable {

    /** Hears each event of each subscriber, on the reader thread: keep it short. */
    public interface Listener {

        void event(int subscriber, String id, String type, String data, long receivedNanos);

    }

    private static final class Subscriber {

        final int index;

        final SocketChannel channel;

        final SseResponseParser parser;

        boolean counted;

        Subscriber(int index, SocketChannel channel, SseResponseParser parser) {
            this.index = index;
            this.channel = channel;
            this.parser = parser;
        }

    }

    private final Selector selector;

    private final List<Subscriber> subscribers = new ArrayList<>();

    private final AtomicInteger open = new AtomicInteger();

    private final AtomicInteger failed = new AtomicInteger();

    private final AtomicInteger ended = new AtomicInteger();

    private final Thread reader;

    private volatile boolean running = true;

    private volatile long now;

    private SseSubscribers(Selector selector) {
        this.selector = selector;
        this.reader = new Thread(this::readLoop, "sse-subscribers");
        this.reader.setDaemon(true);
    }

    /**
     * Opens one subscriber per path (each a GET of an event stream, query included) and starts reading.
     */
    public static SseSubscribers open(int port, List<String> paths, Listener listener) throws IOException {
        SseSubscribers subscribers = new SseSubscribers(Selector.open());
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        for (int i = 0; i < paths.size(); i++) {
            SocketChannel channel = SocketChannel.open();
            channel.socket().setTcpNoDelay(true);
            channel.connect(address);
            String request = "GET " + paths.get(i) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
            ByteBuffer bytes = ByteBuffer.wrap(request.getBytes(StandardCharsets.ISO_8859_1));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.configureBlocking(false);
            int index = i;
            SseResponseParser parser = new SseResponseParser(
                    (id, type, data) -> listener.event(index, id, type, data, subscribers.now));
            Subscriber subscriber = new Subscriber(i, channel, parser);
            subscribers.subscribers.add(subscriber);
            channel.register(subscribers.selector, SelectionKey.OP_READ, subscriber);
        }
        subscribers.reader.start();
        return subscribers;
    }

    /** How many subscribers have their response headers with status 200. */
    public int open() {
        return this.open.get();
    }

    /** How many subscribers were refused (a status other than 200). */
    public int failed() {
        return this.failed.get();
    }

    /** How many streams the server ended. */
    public int ended() {
        return this.ended.get();
    }

    public int size() {
        return this.subscribers.size();
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        try {
            while (this.running) {
                if (this.selector.select(100) == 0) {
                    continue;
                }
                this.now = System.nanoTime();
                for (SelectionKey key : this.selector.selectedKeys()) {
                    Subscriber subscriber = (Subscriber) key.attachment();
                    buffer.clear();
                    int read;
                    try {
                        read = subscriber.channel.read(buffer);
                    }
                    catch (IOException ex) {
                        read = -1;
                    }
                    if (read < 0) {
                        key.cancel();
                        subscriber.channel.close();
                        this.ended.incrementAndGet();
                        continue;
                    }
                    buffer.flip();
                    subscriber.parser.feed(buffer);
                    if (!subscriber.counted && subscriber.parser.status() != 0) {
                        subscriber.counted = true;
                        (subscriber.parser.status() == 200 ? this.open : this.failed).incrementAndGet();
                    }
                }
                this.selector.selectedKeys().clear();
            }
        }
        catch (IOException ex) {
            if (this.running) {
                throw new IllegalStateException("The SSE reader failed", ex);
            }
        }
    }

    @Override
    public void close() {
        this.running = false;
        this.selector.wakeup();
        try {
            this.reader.join(5_000);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        for (Subscriber subscriber : this.subscribers) {
            try {
                subscriber.channel.close();
            }
            catch (IOException ex) {
                // Closing anyway.
            }
        }
        try {
            this.selector.close();
        }
        catch (IOException ex) {
            // Closing anyway.
        }
    }

}
