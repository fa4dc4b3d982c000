package io.mcpsession.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.mcpsession.core.Epochs;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.ReadPlan;

/**
 * Reads the global feed ({@code feed_read.lua}): only entries the sequencer has numbered, planned by
 * {@link ReadPlan} like a session's log.
 */
final class RedisFeedReader {

    private static final int READ_ATTEMPTS = 10;

    private final StoreConnection connection;

    private final RedisKeys keys;

    private final long maxPageBytes;

    RedisFeedReader(StoreConnection connection, RedisKeys keys, long maxPageBytes) {
        this.connection = connection;
        this.keys = keys;
        this.maxPageBytes = maxPageBytes;
    }

    FeedPage read(FeedQuery query) {
        String types = query.types().isEmpty() ? ""
                : query.types().stream().map(FeedEntryType::value).collect(Collectors.joining(",", ",", ","));
        String sessionId = RedisRecords.orEmpty(query.sessionId());
        String scope = query.scope().all() ? "" : "=" + RedisRecords.orEmpty(query.scope().principal());
        long from = query.after();
        for (int attempt = 0; attempt < READ_ATTEMPTS; attempt++) {
            ScriptReply reply = this.connection.run(RedisScripts.FEED_READ, this.keys.feed(), List.of(Epochs.next(),
                    Long.toString(from), Integer.toString(query.limit()), types, sessionId, scope,
                    Long.toString(this.maxPageBytes)));
            reply.afterStatus();
            String epoch = reply.next();
            long latest = reply.nextLong();
            LogPosition position = new LogPosition(latest, reply.nextLong(), epoch);
            boolean cut = reply.next().equals("1");
            ReadPlan plan = ReadPlan.of(query.after(), query.epoch(), null, position);
            if (plan.after() != Math.max(from, position.earliestRetained() - 1)) {
                from = plan.after();
                continue;
            }
            List<FeedEntry> entries = new ArrayList<>();
            while (reply.hasNext()) {
                entries.add(RedisRecords.feedEntry(epoch, reply));
            }
            return plan.feedPage(position, entries, query.limit(), cut);
        }
        throw new IllegalStateException("The feed kept moving under the read");
    }

}
