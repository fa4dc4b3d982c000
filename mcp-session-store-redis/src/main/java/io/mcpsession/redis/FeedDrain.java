package io.mcpsession.redis;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.springframework.data.redis.core.ZSetOperations.TypedTuple;

import io.mcpsession.core.Epochs;

/**
 * One round of the feed's sequencer over announced sessions, in a few round trips whatever their number: read
 * the head of every session's queue (pipelined), number them all in one script in the feed's slot (fenced by the
 * lease), remove the numbered entries from each queue (one script per session, pipelined), then clear the
 * announcements of the sessions whose queues are empty (one script). A session with more entries than one round
 * takes stays announced for the next round.
 */
final class FeedDrain {

    /** The round found that this instance no longer holds the lease. */
    static final long LOST = Long.MIN_VALUE;

    /** How many entries one round takes: shared by the announced sessions, 64 to 1024 for each. */
    private static final int ENTRIES_PER_ROUND = 4096;

    /** Sessions beyond this many bytes of entries wait for the next round (one always goes). */
    private static final long BYTES_PER_ROUND = 8 * 1024 * 1024;

    private final StoreConnection connection;

    private final SessionScripts scripts;

    private final RedisKeys keys;

    private final String token;

    private final String maxEntries;

    private final Clock clock;

    FeedDrain(StoreConnection connection, SessionScripts scripts, RedisKeys keys, String token, long maxEntries,
            Clock clock) {
        this.connection = connection;
        this.scripts = scripts;
        this.keys = keys;
        this.token = token;
        this.maxEntries = Long.toString(maxEntries);
        this.clock = clock;
    }

    /**
     * Numbers what the announced sessions queued.
     * @return the feed's latest seq, {@code -1} when nothing was numbered, or {@link #LOST}
     */
    long round(List<TypedTuple<String>> announced) {
        List<String> sessionIds = new ArrayList<>(announced.size());
        List<String> queues = new ArrayList<>(announced.size());
        for (TypedTuple<String> session : announced) {
            sessionIds.add(session.getValue());
            queues.add(this.keys.feedQueue(session.getValue()));
        }
        int perSession = Math.max(64, Math.min(1024, ENTRIES_PER_ROUND / announced.size()));
        List<List<String>> heads = this.connection.heads(queues, perSession);
        List<String> numbering = new ArrayList<>(List.of(this.token, Epochs.next(), this.maxEntries));
        List<String> done = new ArrayList<>(List.of(this.token));
        List<Integer> numbered = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < announced.size() && bytes < BYTES_PER_ROUND; i++) {
            List<String> head = heads.get(i);
            if (head.isEmpty()) {
                done.addAll(List.of(sessionIds.get(i), announcement(announced.get(i)), "1"));
                continue;
            }
            numbering.add(sessionIds.get(i));
            numbering.add(Integer.toString(head.size()));
            numbering.addAll(head);
            numbered.add(i);
            for (String entry : head) {
                bytes += entry.length();
            }
        }
        long latest = -1;
        if (!numbered.isEmpty()) {
            ScriptReply reply = this.connection.run(RedisScripts.FEED_NUMBER, this.keys.feed(), numbering);
            if (!reply.status().equals("ok")) {
                return LOST;
            }
            latest = reply.afterStatus().nextLong();
            acknowledge(announced, sessionIds, heads, numbered, done);
        }
        if (done.size() > 1 && !this.connection.run(RedisScripts.FEED_DONE, this.keys.feed(), done)
            .status()
            .equals("ok")) {
            return LOST;
        }
        return latest;
    }

    /** Removes the numbered entries from their queues; sessions whose queue is now empty are done. */
    private void acknowledge(List<TypedTuple<String>> announced, List<String> sessionIds, List<List<String>> heads,
            List<Integer> numbered, List<String> done) {
        List<String> ids = new ArrayList<>(numbered.size());
        List<List<String>> through = new ArrayList<>(numbered.size());
        for (int i : numbered) {
            List<String> head = heads.get(i);
            String last = head.get(head.size() - 1);
            int colon = last.indexOf(':');
            ids.add(sessionIds.get(i));
            through.add(List.of(last.substring(0, colon), last.substring(colon + 1, last.indexOf('\n'))));
        }
        List<ScriptReply> acks = this.scripts.runEach(RedisScripts.FEED_ACK, ids, this.clock.instant(), through);
        for (int j = 0; j < numbered.size(); j++) {
            ScriptReply ack = acks.get(j);
            if (ack.status().equals("0")) {
                int i = numbered.get(j);
                done.addAll(List.of(sessionIds.get(i), announcement(announced.get(i)), ack.afterStatus().next()));
            }
        }
    }

    private static String announcement(TypedTuple<String> session) {
        Double score = session.getScore();
        return Long.toString((score != null) ? score.longValue() : -1);
    }

}
