package io.mcpsession.benchmarks.driver;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed number of MCP clients, each with a session of its own on its own kept-alive connection, each making its
 * next call as soon as the previous one is answered (a closed loop) for the length of a round. Measures calls per
 * second and each call's latency: from sending the request to its JSON-RPC response arriving.
 */
final class McpClients implements AutoCloseable {

    /** One call of a client; answers when its response arrived ({@link System#nanoTime()}). */
    interface Call {

        long call(McpConnection connection) throws IOException;

    }

    /** A round's rate (calls/s) and every call's latency (ns). */
    record Round(double rate, long[] latencies) {
    }

    private final List<McpConnection> connections = new ArrayList<>();

    private final ExecutorService pool;

    McpClients(int port, int clients) throws IOException {
        try {
            for (int i = 0; i < clients; i++) {
                McpConnection connection = new McpConnection(port);
                this.connections.add(connection);
                connection.initialize();
            }
        }
        catch (IOException | RuntimeException ex) {
            this.connections.forEach(McpConnection::close);
            throw ex;
        }
        this.pool = Executors.newFixedThreadPool(clients, (runnable) -> {
            Thread thread = new Thread(runnable, "mcp-client");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Every client calls until {@code length} has passed (each at least once); the last calls may overrun it. */
    Round run(Duration length, Call call) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        long[] deadline = new long[1];
        List<Future<long[]>> done = new ArrayList<>();
        for (McpConnection connection : this.connections) {
            done.add(this.pool.submit(() -> {
                start.await();
                long[] latencies = new long[1024];
                int count = 0;
                long answered;
                do {
                    long sent = System.nanoTime();
                    answered = call.call(connection);
                    if (count == latencies.length) {
                        latencies = Arrays.copyOf(latencies, count * 2);
                    }
                    latencies[count++] = answered - sent;
                }
                while (answered < deadline[0]);
                return Arrays.copyOf(latencies, count);
            }));
        }
        long began = System.nanoTime();
        deadline[0] = began + length.toNanos();
        start.countDown();
        long[] all = new long[0];
        try {
            for (Future<long[]> future : done) {
                long[] latencies = future.get();
                int before = all.length;
                all = Arrays.copyOf(all, before + latencies.length);
                System.arraycopy(latencies, 0, all, before, latencies.length);
            }
        }
        catch (ExecutionException ex) {
            throw (ex.getCause() instanceof Exception cause) ? cause : ex;
        }
        return new Round(all.length / ((System.nanoTime() - began) / 1e9), all);
    }

    @Override
    public void close() {
        this.pool.shutdownNow();
        this.connections.forEach(McpConnection::close);
    }

}
