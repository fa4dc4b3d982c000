package io.mcpsession.benchmarks.driver;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * Records, for each paced event {@code k}, how long each subscriber took to receive it: the event's data holds
 * {@code "sentAt"} (the driver's {@link System#nanoTime()} just before it sent the append) and {@code "k"}, and
 * the receive time is when the subscriber's bytes were read. Driver and subscribers share this JVM's clock.
 */
final class LatencyRecorder implements SseSubscribers.Listener {

    private final long[] samples;

    private int count;

    private volatile long expected = -1;

    private volatile boolean recording;

    private volatile CountDownLatch latch = new CountDownLatch(0);

    LatencyRecorder(int capacity) {
        this.samples = new long[capacity];
    }

    /** The data of event {@code k}, sent at {@code sentAt}. */
    static String data(long k, long sentAt) {
        return "{\"sentAt\":" + sentAt + ",\"k\":" + k + "}";
    }

    /** Expects event {@code k} at each of {@code subscribers}; the latch opens when all have it. */
    CountDownLatch expect(long k, int subscribers, boolean record) {
        CountDownLatch latch = new CountDownLatch(subscribers);
        this.latch = latch;
        this.recording = record;
        this.expected = k;
        return latch;
    }

    @Override
    public void event(int subscriber, String id, String type, String data, long receivedNanos) {
        if (numberAfter(data, "\"k\":") != this.expected) {
            return;
        }
        if (this.recording && this.count < this.samples.length) {
            this.samples[this.count++] = receivedNanos - numberAfter(data, "\"sentAt\":");
        }
        this.latch.countDown();
    }

    /** The samples recorded so far, in nanoseconds; read after the last latch opened. */
    long[] samples() {
        return Arrays.copyOf(this.samples, this.count);
    }

    private static long numberAfter(String text, String key) {
        int start = text.indexOf(key);
        if (start < 0) {
            return Long.MIN_VALUE;
        }
        int i = start + key.length();
        boolean negative = i < text.length() && text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        long value = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            value = value * 10 + (text.charAt(i++) - '0');
        }
        return negative ? -value : value;
    }

}
