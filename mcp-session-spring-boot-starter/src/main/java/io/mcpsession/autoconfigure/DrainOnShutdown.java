package io.mcpsession.autoconfigure;

import java.time.Duration;
import java.util.function.Consumer;

import org.springframework.context.SmartLifecycle;

/**
 * Lets a rolling deploy move clients to other instances: when the application stops, before the web server's
 * graceful shutdown begins (which would wait for every open stream), it ends this instance's streams so that
 * clients reconnect elsewhere with their cursor, and lets work under way finish within the shutdown phase's time.
 */
final class DrainOnShutdown implements SmartLifecycle {

    /** Before the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}), after anything else. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    private final String name;

    private final Consumer<Duration> drain;

    private final Runnable resume;

    private final Duration timeout;

    private volatile boolean running;

    /**
     * @param name what is drained, for the thread's name
     * @param drain ends the streams and waits up to the given time for work under way
     * @param resume takes streams again after a stop (a context that is stopped and started again, as the test
     * framework does with contexts it caches)
     * @param timeout the time of the shutdown phase ({@code spring.lifecycle.timeout-per-shutdown-phase})
     */
    DrainOnShutdown(String name, Consumer<Duration> drain, Runnable resume, Duration timeout) {
        this.name = name;
        this.drain = drain;
        this.resume = resume;
        this.timeout = timeout;
    }

    @Override
    public void start() {
        this.resume.run();
        this.running = true;
    }

    @Override
    public void stop() {
        this.running = false;
        this.drain.accept(this.timeout);
    }

    @Override
    public void stop(Runnable callback) {
        this.running = false;
        Thread drainer = new Thread(() -> {
            try {
                this.drain.accept(this.timeout);
            }
            finally {
                callback.run();
            }
        }, this.name + "-drain");
        drainer.setDaemon(true);
        drainer.start();
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

}
