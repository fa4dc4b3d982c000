package io.mcpsession.nats;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import io.mcpsession.core.JsonMembers;
import io.mcpsession.core.JsonText;
import io.mcpsession.core.RecordJson;
import io.mcpsession.core.Session;

/**
 * A session as its bucket holds it: the session, the epoch of this incarnation (part of its log's subject) and
 * the retention floor of its log (the lowest seq readers may see), which belongs to one events stream only.
 *
 * @param session the session, with its activity
 * @param epoch this incarnation's epoch
 * @param floor the lowest retained seq while the events stream is {@code floorToken}
 * @param floorToken the events stream the floor belongs to, at first the one the session was created in (read from
 * the server then, so that an instance that has not yet seen a recreated stream learns of it here)
 */
record SessionRecord(Session session, String epoch, long floor, String floorToken) {

    /** The floor in the events stream {@code eventsToken}: 1 in any other stream (its history starts afresh). */
    long floorIn(String eventsToken) {
        return this.floorToken.equals(eventsToken) ? this.floor : 1;
    }

    String principal() {
        return this.session.principal();
    }

    Instant lastActivity() {
        return this.session.lastActivity();
    }

    SessionRecord withSession(Session session) {
        return new SessionRecord(session, this.epoch, this.floor, this.floorToken);
    }

    SessionRecord withFloor(long floor, String eventsToken) {
        return new SessionRecord(this.session, this.epoch, floor, eventsToken);
    }

    byte[] toBytes() {
        return ("{\"epoch\":" + JsonText.toJson(this.epoch) + ",\"floor\":" + this.floor + ",\"floorToken\":"
                + JsonText.toJson(this.floorToken) + ",\"session\":" + JsonText.toJson(this.session) + "}")
            .getBytes(StandardCharsets.UTF_8);
    }

    static SessionRecord fromBytes(byte[] bytes) {
        Map<String, JsonMembers.Member> members = JsonMembers.parse(new String(bytes, StandardCharsets.UTF_8));
        return new SessionRecord(RecordJson.session(members.get("session").raw()), members.get("epoch").string(),
                Long.parseLong(members.get("floor").raw()), members.get("floorToken").string());
    }

}
