package io.mcpsession.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.store.StoreSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The feed's numbering script on its own: a sequencer that stopped between numbering a session's queued
 * entries and removing them from the queue must not number them twice, and only the lease holder numbers.
 */
class FeedNumberingTests {

    private final String prefix = RedisTestServer.newKeyPrefix();

    private final RedisKeys keys = new RedisKeys(this.prefix);

    private final StoreConnection connection = new StoreConnection(RedisTestServer.connectionFactory());

    private final Lease lease = new Lease(this.connection, this.keys.feedLease(), "sequencer-1", Duration.ofSeconds(30));

    @AfterEach
    void deleteKeys() {
        RedisTestServer.deleteKeys(this.prefix);
    }

    private static String queued(String qe, long n) {
        return qe + ":" + n + "\nsession.deleted\n" + (1_000 + n) + "\n";
    }

    private String number(String token, String sessionId, String... entries) {
        List<String> args = new ArrayList<>(List.of(token, "epoch1", "1000", sessionId, Integer.toString(entries.length)));
        args.addAll(List.of(entries));
        ScriptReply reply = this.connection.run(RedisScripts.FEED_NUMBER, this.keys.feed(), args);
        return reply.status().equals("ok") ? reply.afterStatus().next() : reply.status();
    }

    private List<FeedEntry> feed() {
        FeedPage page = new RedisFeedReader(this.connection, this.keys, StoreSettings.DEFAULT_MAX_PAGE_BYTES)
            .read(FeedQuery.after(0));
        return page.entries();
    }

    @Test
    void entriesNumberedAgainAfterAStopAreSkipped() {
        assertThat(this.lease.hold()).isTrue();

        assertThat(number("sequencer-1", "s1", queued("q1", 1), queued("q1", 2))).isEqualTo("2");
        assertThat(number("sequencer-1", "s1", queued("q1", 1), queued("q1", 2))).isEqualTo("2");
        assertThat(number("sequencer-1", "s1", queued("q1", 2), queued("q1", 3))).isEqualTo("3");

        assertThat(feed()).extracting(FeedEntry::seq).containsExactly(1L, 2L, 3L);
        assertThat(feed()).extracting(FeedEntry::timestamp)
            .extracting((timestamp) -> timestamp.toEpochMilli())
            .containsExactly(1_001L, 1_002L, 1_003L);
        assertThat(feed()).extracting(FeedEntry::type).containsOnly(FeedEntryType.SESSION_DELETED);
    }

    @Test
    void aNewQueueOfTheSameSessionIsNumbered() {
        assertThat(this.lease.hold()).isTrue();
        number("sequencer-1", "s1", queued("q1", 1), queued("q1", 2));

        assertThat(number("sequencer-1", "s1", queued("q2", 1))).isEqualTo("3");

        assertThat(feed()).extracting(FeedEntry::sessionId).containsExactly("s1", "s1", "s1");
    }

    @Test
    void severalSessionsAreNumberedInOneCallEachInItsQueueOrder() {
        assertThat(this.lease.hold()).isTrue();
        List<String> args = new ArrayList<>(List.of("sequencer-1", "epoch1", "1000"));
        args.addAll(List.of("s1", "2", queued("q1", 1), queued("q1", 2), "s2", "1", queued("q9", 1)));
        args.addAll(List.of("s1", "2", queued("q1", 2), queued("q1", 3)));

        assertThat(this.connection.run(RedisScripts.FEED_NUMBER, this.keys.feed(), args).afterStatus().next())
            .isEqualTo("4");
        assertThat(feed()).extracting(FeedEntry::sessionId).containsExactly("s1", "s1", "s2", "s1");
    }

    @Test
    void onlyTheLeaseHolderNumbers() {
        assertThat(this.lease.hold()).isTrue();
        Lease other = new Lease(this.connection, this.keys.feedLease(), "sequencer-2", Duration.ofSeconds(30));

        assertThat(other.hold()).isFalse();
        assertThat(number("sequencer-2", "s1", queued("q1", 1))).isEqualTo("lost");
        assertThat(feed()).isEmpty();
        this.lease.release();
        assertThat(other.hold()).isTrue();
        assertThat(number("sequencer-2", "s1", queued("q1", 1))).isEqualTo("1");
    }

    @Test
    void aFeedWhosePositionWasLostStartsAnEpochWithoutItsOldEntries() {
        // What a Redis evicting keys of its own accord, or a wipe that is not atomic, can leave: the log and the
        // numbering cursors without the position that numbers them.
        assertThat(this.lease.hold()).isTrue();
        number("sequencer-1", "s1", queued("q1", 1), queued("q1", 2));
        this.connection.call((template) -> template.delete(this.keys.feed().get(0)));

        List<String> args = new ArrayList<>(List.of("sequencer-1", "epoch2", "1000", "s1", "1", queued("q1", 2)));
        args.addAll(List.of("s2", "1", queued("q9", 1)));
        ScriptReply reply = this.connection.run(RedisScripts.FEED_NUMBER, this.keys.feed(), args);

        assertThat(reply.status()).isEqualTo("ok");
        assertThat(reply.afterStatus().next()).isEqualTo("2");
        assertThat(feed()).extracting(FeedEntry::sessionId).containsExactly("s1", "s2");
        assertThat(feed()).extracting(FeedEntry::epoch).containsOnly("epoch2");
    }

}
