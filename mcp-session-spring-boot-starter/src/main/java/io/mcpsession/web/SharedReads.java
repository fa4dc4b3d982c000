package io.mcpsession.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.Cursor;
import io.mcpsession.core.EventPage;

/**
 * One store read for all the streams of a session that ask for the same page. An append wakes every stream of
 * its session at once, and those that kept up all ask for the page after the same cursor: the first reads it and
 * the others take its answer, under way or just read, so a hundred subscribers cost the store one read, not a
 * hundred. A stream takes only a read that began after it was last woken (one that began earlier may predate the
 * append it was woken for); the most recent reads are kept, a few hundred pages at most.
 */
final class SharedReads {

    private static final int CAPACITY = 256;

    /** A page request: the session, the cursor it is after, the page size. */
    private record Key(String sessionId, Cursor after, int limit) {
    }

    /** A read, under way or done, and when it began ({@link System#nanoTime()}). */
    private record Read(CompletableFuture<@Nullable EventPage> page, long began) {
    }

    private final Map<Key, Read> recent = new LinkedHashMap<>(CAPACITY * 2) {

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Read> eldest) {
            return size() > CAPACITY;
        }

    };

    /**
     * The page after {@code after}: the answer of the same read if one began after {@code wokenAt}, else read
     * by {@code read} on this thread (and shared with those who ask for it next).
     * @param wokenAt when the caller was last woken or subscribed ({@link System#nanoTime()})
     */
    EventPage read(String sessionId, Cursor after, int limit, long wokenAt, Supplier<EventPage> read) {
        Key key = new Key(sessionId, after, limit);
        Read mine = new Read(new CompletableFuture<>(), System.nanoTime());
        Read current;
        synchronized (this.recent) {
            current = this.recent.get(key);
            if (current == null || current.began() - wokenAt <= 0) {
                this.recent.put(key, mine);
                current = mine;
            }
        }
        if (current != mine) {
            EventPage page = join(current.page());
            // A failed shared read: this caller reads for itself and meets the failure, if any, itself.
            return (page != null) ? page : read.get();
        }
        try {
            EventPage page = read.get();
            mine.page().complete(page);
            return page;
        }
        catch (RuntimeException ex) {
            mine.page().complete(null);
            synchronized (this.recent) {
                this.recent.remove(key, mine);
            }
            throw ex;
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
