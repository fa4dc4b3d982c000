package io.mcpsession.redis;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.NoSuchElementException;

import org.jspecify.annotations.Nullable;

/**
 * The reply of one of the store's scripts, read front to back: a status, then values. Scripts reply with text
 * only; {@code ''} stands for null.
 */
final class ScriptReply {

    private final List<?> values;

    private int next;

    ScriptReply(@Nullable List<?> values) {
        this.values = (values != null) ? values : List.of();
    }

    /** The first value: what the script did ({@code ok}, {@code missing}…). */
    String status() {
        return text(0);
    }

    /** Moves past the status. */
    ScriptReply afterStatus() {
        this.next = 1;
        return this;
    }

    boolean hasNext() {
        return this.next < this.values.size();
    }

    String next() {
        if (!hasNext()) {
            throw new NoSuchElementException("The script replied with " + this.values.size() + " values");
        }
        return text(this.next++);
    }

    /** The next value, or {@code null} when it is {@code ''}. */
    @Nullable String nextOrNull() {
        String value = next();
        return value.isEmpty() ? null : value;
    }

    long nextLong() {
        return Long.parseLong(next());
    }

    private String text(int index) {
        Object value = this.values.get(index);
        return (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
                : String.valueOf(value);
    }

}
