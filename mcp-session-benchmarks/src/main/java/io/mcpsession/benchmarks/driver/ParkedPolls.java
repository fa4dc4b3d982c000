package io.mcpsession.benchmarks.driver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Long-polls held open over loopback by one selector thread: each connection sends a waiting read and, when
 * it is answered with {@code 200} (its wait ran out), sends it again, so the polls stay parked until their
 * session goes away ({@code 404}).
 */
public final class ParkedPolls implements AutoCloseable {

    private record Poll(SocketChannel channel, String path, ResponseParser parser) {
    }

    private final Selector selector;

    private final List<Poll> polls = new ArrayList<>();

    private final AtomicInteger answered = new AtomicInteger();

    private final AtomicInteger ended = new AtomicInteger();

    private final Thread reader;

    private volatile boolean running = true;

    private ParkedPolls(Selector selector) {
        this.selector = selector;
        this.reader = new Thread(this::readLoop, "parked-polls");
        this.reader.setDaemon(true);
    }

    /** Parks one long-poll per path (a waiting read, query included). */
    public static ParkedPolls open(int port, List<String> paths) throws IOException {
        ParkedPolls parked = new ParkedPolls(Selector.open());
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        for (String path : paths) {
            SocketChannel channel = SocketChannel.open(address);
            Poll poll = new Poll(channel, path, new ResponseParser());
            send(poll);
            channel.configureBlocking(false);
            channel.register(parked.selector, SelectionKey.OP_READ, poll);
            parked.polls.add(poll);
        }
        parked.reader.start();
        return parked;
    }

    /** How many polls were answered {@code 200} (and parked again). */
    public int answered() {
        return this.answered.get();
    }

    /** How many polls ended (their session went away, or the connection closed). */
    public int ended() {
        return this.ended.get();
    }

    private static void send(Poll poll) throws IOException {
        ByteBuffer request = ResponseParser.get(poll.path());
        while (request.hasRemaining()) {
            poll.channel().write(request);
        }
    }

    private void readLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        try {
            while (this.running) {
                if (this.selector.select(100) == 0) {
                    continue;
                }
                for (SelectionKey key : this.selector.selectedKeys()) {
                    Poll poll = (Poll) key.attachment();
                    buffer.clear();
                    int read;
                    try {
                        read = poll.channel().read(buffer);
                    }
                    catch (IOException ex) {
                        read = -1;
                    }
                    if (read < 0) {
                        key.cancel();
                        poll.channel().close();
                        this.ended.incrementAndGet();
                        continue;
                    }
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        int status = poll.parser().feed(buffer);
                        if (status == 200) {
                            this.answered.incrementAndGet();
                            send(poll);
                        }
                        else if (status != 0) {
                            key.cancel();
                            poll.channel().close();
                            this.ended.incrementAndGet();
                            break;
                        }
                    }
                }
                this.selector.selectedKeys().clear();
            }
        }
        catch (IOException ex) {
            if (this.running) {
                throw new IllegalStateException("The long-poll reader failed", ex);
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
        for (Poll poll : this.polls) {
            try {
                poll.channel().close();
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
