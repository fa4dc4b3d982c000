package io.mcpsession.web;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.mcpsession.web.EventStreamParser.Comment;
import io.mcpsession.web.EventStreamParser.Event;
import io.mcpsession.web.EventStreamParser.Item;

import static org.assertj.core.api.Assertions.fail;

/**
 * An open SSE response read by a real streaming reader: a daemon thread parses the body as it arrives and queues
 * what it observes; tests take items with a timeout so that a missing frame fails fast.
 */
final class SseConnection implements AutoCloseable {

    private static final AtomicInteger COUNT = new AtomicInteger();

    /** Queued when the body ends. */
    private record End(Throwable failure) {
    }

    /** An observed item with its arrival time. */
    record Timed(Item item, long nanos) {
    }

    private final HttpResponse<InputStream> response;

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();

    private final Thread reader;

    private volatile boolean closed;

    private boolean ended;

    SseConnection(HttpResponse<InputStream> response) {
        this.response = response;
        this.reader = new Thread(this::read, "test-sse-reader-" + COUNT.incrementAndGet());
        this.reader.setDaemon(true);
        this.reader.start();
    }

    HttpResponse<InputStream> response() {
        return this.response;
    }

    int status() {
        return this.response.statusCode();
    }

    String header(String name) {
        return this.response.headers().firstValue(name).orElse(null);
    }

    /** The next item (comment, retry or event) within {@code timeout}. */
    Item next(Duration timeout) {
        return nextTimed(timeout).item();
    }

    Timed nextTimed(Duration timeout) {
        if (this.ended) {
            fail("The SSE stream already ended");
        }
        Object next;
        try {
            next = this.queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
        if (next == null) {
            fail("Nothing arrived on the SSE stream within " + timeout);
        }
        if (next instanceof End end) {
            this.ended = true;
            fail("The SSE stream ended" + ((end.failure() != null) ? " with " + end.failure() : ""));
        }
        return (Timed) next;
    }

    /** The next event, skipping comments and retry fields, within {@code timeout} per item. */
    Event nextEvent(Duration timeout) {
        while (true) {
            Item item = next(timeout);
            if (item instanceof Event event) {
                return event;
            }
        }
    }

    /** The next comment, failing if an event comes first. */
    Comment nextComment(Duration timeout) {
        while (true) {
            Item item = next(timeout);
            if (item instanceof Comment comment) {
                return comment;
            }
            if (item instanceof Event event) {
                fail("Expected a comment, got " + event);
            }
        }
    }

    /** Everything observed until the body ends; fails if it does not end within {@code timeout}. */
    List<Item> itemsUntilEnd(Duration timeout) {
        List<Item> items = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            Object next;
            try {
                next = this.queue.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
            if (next == null) {
                fail("The SSE stream did not end within " + timeout + "; observed " + items);
            }
            if (next instanceof End) {
                this.ended = true;
                return items;
            }
            items.add(((Timed) next).item());
        }
    }

    @Override
    public void close() {
        this.closed = true;
        try {
            this.response.body().close();
        }
        catch (IOException ex) {
            // Closed anyway.
        }
    }

    private void read() {
        Throwable failure = null;
        EventStreamParser parser = new EventStreamParser(
                (item) -> this.queue.add(new Timed(item, System.nanoTime())));
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(this.response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                parser.line(line);
            }
            parser.end();
        }
        catch (IOException | RuntimeException ex) {
            failure = this.closed ? null : ex;
        }
        this.queue.add(new End(failure));
    }

}
