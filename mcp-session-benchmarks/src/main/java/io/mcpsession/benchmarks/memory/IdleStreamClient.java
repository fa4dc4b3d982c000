package io.mcpsession.benchmarks.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.mcpsession.benchmarks.driver.Pacing;
import io.mcpsession.benchmarks.driver.SseSubscribers;

/**
 * Holds idle SSE streams open from a process of its own, so that the server's heap holds only the server's side
 * of each connection. Prints {@code READY <open> <refused>} once every stream has its headers, then keeps them
 * open until its standard input closes.
 * <p>
 * Arguments: the port, the number of streams, and the path with {@code %d} where the stream's number goes.
 */
public final class IdleStreamClient {

    private IdleStreamClient() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        String pattern = args[2];
        List<String> paths = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            paths.add(pattern.contains("%d") ? String.format(pattern, i) : pattern);
        }
        try (SseSubscribers streams = SseSubscribers.open(port, paths, (subscriber, id, type, data, nanos) -> {
        })) {
            Pacing.until(() -> streams.open() + streams.failed() == count, Duration.ofMinutes(5),
                    count + " streams to open");
            System.out.println("READY " + streams.open() + " " + streams.failed());
            System.out.flush();
            while (System.in.read() != -1) {
                // Held open until the parent closes our input.
            }
        }
    }

}
