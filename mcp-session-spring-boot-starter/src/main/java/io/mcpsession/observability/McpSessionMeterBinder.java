package io.mcpsession.observability;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import io.mcpsession.store.SessionStore;
import io.mcpsession.web.SessionStreams;

/**
 * The gauges of SPEC §9: live sessions in the store, and this instance's open streams and waiting long-polls.
 */
public class McpSessionMeterBinder implements MeterBinder {

    private final SessionStore store;

    private final @Nullable SessionStreams streams;

    /**
     * @param store the store whose sessions are counted
     * @param streams this instance's live reads, or {@code null} when the HTTP API is off
     */
    public McpSessionMeterBinder(SessionStore store, @Nullable SessionStreams streams) {
        this.store = store;
        this.streams = streams;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("mcp.session.active", this.store, SessionStore::countSessions)
            .description("Live sessions in the store")
            .tag("store", this.store.type())
            .register(registry);
        SessionStreams streams = this.streams;
        if (streams != null) {
            Gauge.builder("mcp.session.streams.active", streams, SessionStreams::activeStreams)
                .description("Open SSE streams on this instance")
                .tag("store", this.store.type())
                .register(registry);
            FunctionCounter.builder("mcp.session.streams.stalled", streams, SessionStreams::stalledStreams)
                .description("SSE streams ended because their client took no bytes for the write timeout")
                .tag("store", this.store.type())
                .register(registry);
            Gauge.builder("mcp.session.long-poll.waiting", streams, SessionStreams::waitingPolls)
                .description("Long-polls waiting on this instance")
                .tag("store", this.store.type())
                .register(registry);
        }
    }

}
