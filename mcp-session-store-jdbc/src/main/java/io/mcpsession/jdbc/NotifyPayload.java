package io.mcpsession.jdbc;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The text of a PostgreSQL notification: space-separated entries, each {@code <id>=<latest seq>} (a session
 * moved), {@code <id>} (a session was removed: re-read it) or {@code #<latest seq>} (the feed moved). Ids are
 * URL-encoded, so no character of an id can be taken for a separator. Many changes share one notification, and
 * a notification stays below PostgreSQL's payload limit of 8000 bytes; entries this code does not know (such as
 * an instance's {@code !} entries to itself) are skipped.
 */
final class NotifyPayload {

    /** The most bytes of one payload (all ASCII), with room to spare below PostgreSQL's 8000. */
    static final int MAX_BYTES = 7800;

    private NotifyPayload() {
    }

    /** The payloads that announce {@code sessions} and, when not negative, the feed's latest seq. */
    static List<String> encode(Map<String, Long> sessions, long feedLatest) {
        List<String> payloads = new ArrayList<>(1);
        StringBuilder payload = new StringBuilder();
        if (feedLatest >= 0) {
            payload.append('#').append(feedLatest);
        }
        for (Map.Entry<String, Long> session : sessions.entrySet()) {
            String entry = URLEncoder.encode(session.getKey(), StandardCharsets.UTF_8)
                    + ((session.getValue() == Long.MAX_VALUE) ? "" : "=" + session.getValue());
            if (payload.length() > 0 && payload.length() + 1 + entry.length() > MAX_BYTES) {
                payloads.add(payload.toString());
                payload.setLength(0);
            }
            if (payload.length() > 0) {
                payload.append(' ');
            }
            payload.append(entry);
        }
        if (payload.length() > 0) {
            payloads.add(payload.toString());
        }
        return payloads;
    }

    /**
     * Adds what {@code payload} announces to {@code sessions} (keeping the highest seq of each).
     * @return the feed's latest seq it names, else {@code -1}
     */
    static long decode(String payload, Map<String, Long> sessions) {
        long feedLatest = -1;
        for (String entry : payload.split(" ")) {
            try {
                if (entry.startsWith("#")) {
                    feedLatest = Math.max(feedLatest, Long.parseLong(entry.substring(1)));
                }
                else if (!entry.isEmpty() && !entry.startsWith("!")) {
                    int equals = entry.indexOf('=');
                    String id = URLDecoder.decode((equals < 0) ? entry : entry.substring(0, equals),
                            StandardCharsets.UTF_8);
                    long latest = (equals < 0) ? Long.MAX_VALUE : Long.parseLong(entry.substring(equals + 1));
                    sessions.merge(id, latest, Math::max);
                }
            }
            catch (IllegalArgumentException ex) {
                // Not ours (another application on the channel, or a newer format): nothing to re-read for it.
            }
        }
        return feedLatest;
    }

}
