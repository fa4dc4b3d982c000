package io.mcpsession.benchmarks.driver;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A fixed number of HTTP clients, each on its own kept-alive connection, each sending its next request as soon
 * as the previous one is answered (a closed loop). Measures requests per second.
 */
public final class ClosedLoop implements AutoCloseable {

    /** The next request of a client, built by the driver. */
    public interface Requests {

        byte[] next(int client);

    }

    private final List<HttpConnection> connections = new ArrayList<>();

    private final ExecutorService pool;

    public ClosedLoop(int port, int clients) throws IOException {
        for (int i = 0; i < clients; i++) {
            this.connections.add(new HttpConnection(port));
        }
        this.pool = Executors.newFixedThreadPool(clients, (runnable) -> {
            Thread thread = new Thread(runnable, "load-client");
            thread.setDaemon(true);
            return thread;
        });
    }

    public int clients() {
        return this.connections.size();
    }

    /**
     * Sends {@code total} requests spread over the clients and answers the rate; every answer must be a 2xx.
     */
    public double run(int total, Requests requests) throws Exception {
        int clients = this.connections.size();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            int count = total / clients + ((c < total % clients) ? 1 : 0);
            done.add(this.pool.submit(() -> {
                start.await();
                HttpConnection connection = this.connections.get(client);
                for (int i = 0; i < count; i++) {
                    HttpConnection.Response response = connection.send(requests.next(client));
                    if (response.status() < 200 || response.status() > 299) {
                        throw new IllegalStateException("HTTP " + response.status() + ": " + response.text());
                    }
                }
                return null;
            }));
        }
        long began = System.nanoTime();
        start.countDown();
        try {
            for (Future<?> future : done) {
                future.get();
            }
        }
        catch (ExecutionException ex) {
            throw (ex.getCause() instanceof Exception cause) ? cause : ex;
        }
        return total / ((System.nanoTime() - began) / 1e9);
    }

    @Override
    public void close() {
        this.pool.shutdownNow();
        this.connections.forEach(HttpConnection::close);
    }

}
