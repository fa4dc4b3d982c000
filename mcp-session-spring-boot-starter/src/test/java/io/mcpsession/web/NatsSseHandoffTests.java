package io.mcpsession.web;

import java.util.List;
import java.util.UUID;

import io.nats.client.Connection;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;

import io.mcpsession.testengines.TestNats;

/**
 * The replay-to-live handoff on NATS JetStream, under a prefix of its own: instances wake each other over core NATS.
 */
class NatsSseHandoffTests extends SseHandoffTestSupport {

    private final String prefix = "H" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Override
    List<String> storeArguments() {
        return List.of("--mcp.session.store.type=nats", "--mcp.session.store.nats.url=" + TestNats.url(),
                "--mcp.session.store.nats.prefix=" + this.prefix);
    }

    @Override
    void deleteStoredData() {
        try (Connection connection = Nats.connect(TestNats.url())) {
            JetStreamManagement streams = connection.jetStreamManagement();
            for (String name : streams.getStreamNames()) {
                if (name.startsWith(this.prefix + "_") || name.startsWith("KV_" + this.prefix + "_")) {
                    streams.deleteStream(name);
                }
            }
        }
        catch (Exception ex) {
            throw new IllegalStateException("Could not delete the test's streams", ex);
        }
    }

}
