package io.mcpsession.benchmarks.memory;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.management.ObjectName;

import io.mcpsession.benchmarks.driver.Pacing;

/**
 * This JVM's heap: used bytes after full collections, and class histograms (the {@code GC.class_histogram}
 * diagnostic command, run in process) to show where a difference goes.
 */
public final class Heap {

    private Heap() {
    }

    /** Heap in use after collecting until it stops shrinking (at most five collections). */
    public static long usedAfterGc() {
        long previous = Long.MAX_VALUE;
        long used = used();
        for (int i = 0; i < 5 && used < previous; i++) {
            previous = used;
            System.gc();
            Pacing.pause(Duration.ofMillis(50));
            used = used();
        }
        return Math.min(used, previous);
    }

    private static long used() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Bytes by class name, of the live objects (the command collects first). */
    public static Map<String, Long> histogram() {
        try {
            String text = (String) ManagementFactory.getPlatformMBeanServer()
                .invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                        new Object[] { null }, new String[] { String[].class.getName() });
            Map<String, Long> bytes = new HashMap<>();
            for (String line : text.split("\n")) {
                String[] columns = line.trim().split("\\s+");
                if (columns.length >= 4 && columns[0].endsWith(":")) {
                    bytes.merge(columns[3], Long.parseLong(columns[2]), Long::sum);
                }
            }
            return bytes;
        }
        catch (Exception ex) {
            throw new IllegalStateException("No class histogram: " + ex.getMessage(), ex);
        }
    }

    /** The classes that grew most between two histograms, per unit of {@code per}, as text lines. */
    public static List<String> growth(Map<String, Long> before, Map<String, Long> after, int per, int top) {
        List<Map.Entry<String, Long>> grown = new ArrayList<>();
        for (Map.Entry<String, Long> entry : after.entrySet()) {
            long delta = entry.getValue() - before.getOrDefault(entry.getKey(), 0L);
            if (delta > 0) {
                grown.add(Map.entry(entry.getKey(), delta));
            }
        }
        grown.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Long> entry : grown.subList(0, Math.min(top, grown.size()))) {
            lines.add(String.format(Locale.ROOT, "%10.1f B  %s", (double) entry.getValue() / per, entry.getKey()));
        }
        return lines;
    }

}
