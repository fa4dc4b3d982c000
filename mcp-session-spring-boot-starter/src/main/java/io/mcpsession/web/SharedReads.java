package io.mcpsession.web;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.Cursor;
import io.mcpsession.core.EventPage;
import io.mcpsession.core.PageBudget;

/**
 * One store read for all the streams of a session that ask for the same page. An append wakes every stream of
 * its session at once, and those that kept up all ask for the page after the same cursor: the first reads it and
 * the others take its answer, under way or just read, so a hundred subscribers cost the store one read, not a
 * hundred. A stream takes only a read that began after it was last woken (one that began earlier may predate the
 * append it was woken for); the most recent reads are kept, a few hundred pages at most and no more bytes of
 * event data than the cache's bound.
 */
final class SharedReads {

    private static final int CAPACITY = 256;

    private final long maxBytes;

    /** The event bytes of the finished pages held ({@link io.mcpsession.core.PageBudget#bytesOf}). */
    private long bytes;

    /** A page request: the session, the cursor it is after, the page size. */
    private record Key(String sessionId, Cursor after, int limit) {
    }

    /** A read, under way or done, when it began ({@link System#nanoTime()}), and its bytes once done. */
    private static final class Read {

        final CompletableFuture<@Nullable EventPage> page = new CompletableFuture<>();

        final long began = System.nanoTime();

        long bytes;

    }

    private final Map<Key, Read> recent = new LinkedHashMap<>(CAPACITY * 2);

    /**
     * @param maxBytes the most bytes of event data the finished pages held may carry
     */
    SharedReads(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * The page after {@code after}: the answer of the same read if one began after {@code wokenAt}, else read
     * by {@code read} on this thread (and shared with those who ask for it next).
     * @param wokenAt when the caller was last woken or subscribed ({@link System#nanoTime()})
     */
    EventPage read(String sessionId, Cursor after, int limit, long wokenAt, Supplier<EventPage> read) {
        Key key = new Key(sessionId, after, limit);
        Read mine = new Read();
        Read current;
        synchronized (this.recent) {
            current = this.recent.get(key);
            if (current == null || current.began - wokenAt <= 0) {
                Read replaced = this.recent.remove(key);
                if (replaced != null) {
                    this.bytes -= replaced.bytes;
                }
                this.recent.put(key, mine);
                current = mine;
                evictBeyondBounds();
            }
        }
        if (current != mine) {
            EventPage page = join(current.page);
            // A failed shared read: this caller reads for itself and meets the failure, if any, itself.
            return (page != null) ? page : read.get();
        }
        try {
            EventPage page = read.get();
            mine.page.complete(page);
            long pageBytes = page.events().stream().mapToLong(PageBudget::bytesOf).sum();
            synchronized (this.recent) {
                if (this.recent.get(key) == mine) {
                    mine.bytes = pageBytes;
                    this.bytes += pageBytes;
                    evictBeyondBounds();
                }
            }
            return page;
        }
        catch (Throwable ex) {
            mine.page.complete(null);
            synchronized (this.recent) {
                this.recent.remove(key, mine);
            }
            throw ex;
        }
    }

    /** The event bytes of the finished pages held. */
    long bytes() {
        synchronized (this.recent) {
            return this.bytes;
        }
    }

    /** Drops the eldest reads while more are held than the bounds allow; reads under way weigh nothing yet. */
    private void evictBeyondBounds() {
        Iterator<Read> eldest = this.recent.values().iterator();
        while ((this.recent.size() > CAPACITY || this.bytes > this.maxBytes) && eldest.hasNext()) {
            this.bytes -= eldest.next().bytes;
            eldest.remove();
        }
    }

    private static @Nullable EventPage join(CompletableFuture<@Nullable EventPage> shared) {
        try {
            return shared.get();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return null;
        }
        catch (ExecutionException ex) {
            return null;
        }
    }

}
