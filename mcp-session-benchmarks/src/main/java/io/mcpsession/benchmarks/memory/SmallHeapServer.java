package io.mcpsession.benchmarks.memory;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.mcpsession.benchmarks.app.AppInstances;
import io.mcpsession.benchmarks.app.ServletContainer;
import io.mcpsession.benchmarks.app.StoreProfile;
import io.mcpsession.core.NewSession;
import io.mcpsession.store.SessionStore;

/**
 * The benchmark app on the memory store in a JVM of its own (started with a small heap by
 * {@link IdleStreamsInSmallHeap}), with sessions {@code idle-stream-0..n-1} for idle streams to follow. Prints
 * {@code PORT <port>}, then answers {@code HEAP} with {@code HEAP <bytes in use after full collections>} until its
 * standard input closes.
 * <p>
 * Arguments: the servlet container ({@code TOMCAT} or {@code JETTY}) and the number of sessions.
 */
public final class SmallHeapServer {

    private SmallHeapServer() {
    }

    public static void main(String[] args) throws Exception {
        ServletContainer container = ServletContainer.valueOf(args[0]);
        int sessions = Integer.parseInt(args[1]);
        try (AppInstances app = AppInstances.start(StoreProfile.MEMORY, container, 1,
                Map.of("mcp.session.sse.max-streams", sessions + 100))) {
            SessionStore store = app.store(0);
            for (int i = 0; i < sessions; i++) {
                store.create(NewSession.withId("idle-stream-" + i));
            }
            System.out.println("PORT " + app.port(0));
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("HEAP")) {
                    System.out.println("HEAP " + Heap.usedAfterGc());
                    System.out.flush();
                }
            }
        }
        System.exit(0);
    }

}
