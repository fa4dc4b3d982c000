package io.mcpsession.dynamodb;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import io.mcpsession.core.Session;

/**
 * A session's head item: the session, its epoch, the floor of its log's retained window ({@code earliestRetained}
 * as retention and {@code deleteBefore} set it), the version that orders its lifecycle changes, and the highest
 * seq an append reported (for other instances' position checks).
 */
record SessionHead(Session session, String epoch, long floor, long version, long reported) {

    static @Nullable SessionHead of(Map<String, AttributeValue> item) {
        if (item.isEmpty()) {
            return null;
        }
        String pk = Items.requiredString(item, Items.PK);
        Session session = new Session(pk.substring(2), Instant.ofEpochMilli(Items.number(item, "created", 0)),
                Instant.ofEpochMilli(Items.number(item, "active", 0)),
                Instant.ofEpochMilli(Items.number(item, "expires", 0)), Items.bool(item, "initialized"),
                Items.string(item, "client"), Items.string(item, "server"), Items.string(item, "protocol"),
                Items.requiredString(item, "metadata"), Items.string(item, "principal"));
        return new SessionHead(session, Items.requiredString(item, "epoch"), Math.max(1, Items.number(item, "floor", 1)),
                Items.number(item, "version", 1), Items.number(item, "reported", 0));
    }

    /** The head item of a new session. */
    static Map<String, AttributeValue> itemOf(Session session, String epoch) {
        Map<String, AttributeValue> item = Items.item(SessionKeys.head(session.id()));
        item.put("created", Items.n(session.createdAt().toEpochMilli()));
        item.put("active", Items.n(session.lastActivity().toEpochMilli()));
        item.put("expires", Items.n(session.expiresAt().toEpochMilli()));
        item.put("initialized", Items.bool(session.initialized()));
        Items.put(item, "client", session.clientCapabilities());
        Items.put(item, "server", session.serverCapabilities());
        Items.put(item, "protocol", session.protocolVersion());
        item.put("metadata", Items.s(session.metadata()));
        Items.put(item, "principal", session.principal());
        item.put("epoch", Items.s(epoch));
        item.put("floor", Items.n(1));
        item.put("version", Items.n(1));
        item.put("reported", Items.n(0));
        item.put(Items.TTL, Items.n(DynamoDbTables.ttl(session.expiresAt())));
        return item;
    }

    String partition() {
        return SessionKeys.partition(this.session.id(), this.epoch);
    }

    boolean isExpired(Instant now) {
        return this.session.isExpired(now);
    }

}
