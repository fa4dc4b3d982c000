package io.mcpsession.nats;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedEntryType;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.JsonMembers;
import io.mcpsession.core.JsonText;
import io.mcpsession.core.LogPosition;
import io.mcpsession.core.PageBudget;
import io.mcpsession.core.ReadPlan;
import io.mcpsession.core.RecordJson;
import io.mcpsession.core.Session;
import io.mcpsession.nats.LogMessage.Kind;
import io.nats.client.JetStreamApiException;
import io.nats.client.PurgeOptions;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.PublishAck;
import io.nats.client.api.PurgeResponse;
import io.nats.client.api.StreamInfo;
import io.nats.client.impl.Headers;

/**
 * The global feed: the events stream's own commit order, numbered after the fact into the feed stream, one
 * message per entry, so the feed's seq is the feed stream's seq (gap-free from 1, purged only from the front).
 * Any instance may number: each publish expects the feed stream's last seq, so two sequencers never both write
 * an entry, and each entry records the source message it came from, so numbering resumes exactly where it
 * stopped, also after a crash. Appends never wait for it.
 */
final class FeedSequencer implements AutoCloseable {

    private static final System.Logger logger = System.getLogger(FeedSequencer.class.getName());

    private static final String EXPECTED_LAST_SEQUENCE = "Nats-Expected-Last-Sequence";

    /** The source of a feed entry: {@code <events stream token>:<stream seq>:<index>:<entries of the message>}. */
    private static final String SOURCE = "Mcp-Source";

    private final NatsSpace space;

    private final boolean enabled;

    private final Runnable onAdvance;

    private final ExecutorService executor;

    private final AtomicBoolean scheduled = new AtomicBoolean();

    // Numbering state, used by the sequencer thread only.

    private long feedLast = -1;

    private Source numbered = Source.NONE;

    private volatile long latestNumbered;

    /** Where numbering stands in the events stream. */
    private record Source(String token, long streamSeq, int index, int count) {

        static final Source NONE = new Source("", 0, 0, 0);

        /** The last events stream seq whose entries are all numbered. */
        long completeThrough() {
            return (this.index + 1 >= this.count) ? this.streamSeq : this.streamSeq - 1;
        }

        String header() {
            return this.token + ":" + this.streamSeq + ":" + this.index + ":" + this.count;
        }

        static Source parse(@Nullable String header) {
            if (header == null) {
                return NONE;
            }
            String[] parts = header.split(":");
            return new Source(parts[0], Long.parseLong(parts[1]), Integer.parseInt(parts[2]),
                    Integer.parseInt(parts[3]));
        }

    }

    /**
     * @param onAdvance told (on the sequencer thread) when this instance numbered entries
     */
    FeedSequencer(NatsSpace space, boolean enabled, Runnable onAdvance) {
        this.space = space;
        this.enabled = enabled;
        this.onAdvance = onAdvance;
        this.executor = Executors.newSingleThreadExecutor((runnable) -> {
            Thread thread = new Thread(runnable, "mcp-session-nats-feed");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The latest seq this instance numbered or saw. */
    long latestNumbered() {
        return this.latestNumbered;
    }

    /** Numbers what is there to number, soon, on the sequencer thread. */
    void wake() {
        if (this.enabled && this.scheduled.compareAndSet(false, true)) {
            try {
                this.executor.execute(() -> {
                    this.scheduled.set(false);
                    drain();
                });
            }
            catch (RuntimeException ex) {
                this.scheduled.set(false);
            }
        }
    }

    private void drain() {
        try {
            // The events stream as the server has it (one request a drain): another instance may have recreated
            // it since this one last looked, and entries must not be numbered under the old one's identity.
            this.space.currentEventsToken();
            boolean advanced = false;
            while (numberNext()) {
                advanced = true;
            }
            if (advanced) {
                this.onAdvance.run();
            }
        }
        catch (RuntimeException ex) {
            this.feedLast = -1;
            logger.log(Level.DEBUG, "Numbering the feed failed; the next wake-up retries", ex);
        }
    }

    /** Numbers the entries of the next source message; false when there is none. */
    private boolean numberNext() {
        String token = this.space.eventsToken();
        if (this.feedLast >= 0 && !this.numbered.token().equals(token)) {
            // Another events stream: the feed may be another one too, and a feed last seq remembered from the old
            // one could match the new one's by chance and let a duplicate through the guard. Read it again.
            this.feedLast = -1;
        }
        if (this.feedLast < 0) {
            MessageInfo last = lastFeedMessage();
            this.feedLast = (last != null) ? last.getSeq() : 0;
            this.numbered = (last != null) ? Source.parse(last.getHeaders().getFirst(SOURCE)) : Source.NONE;
        }
        if (!this.numbered.token().equals(token)) {
            // Numbering starts over in another events stream: make sure it is the current one, or two instances
            // would each number the same stream under a different identity.
            token = this.space.currentEventsToken();
        }
        Source from = this.numbered.token().equals(token) ? this.numbered : new Source(token, 0, 0, 0);
        long sourceSeq = (from.index() + 1 < from.count()) ? from.streamSeq() : from.streamSeq() + 1;
        MessageInfo source = NatsFailures.call(() -> {
            try {
                return this.space.jsm.getNextMessage(this.space.names.eventsStream(), sourceSeq,
                        this.space.names.eventsSubjects());
            }
            catch (JetStreamApiException ex) {
                if (NatsFailures.isCode(ex, NatsFailures.NO_MESSAGE)) {
                    return null;
                }
                throw ex;
            }
        });
        if (source == null) {
            // Not the maximum ever seen: a recreated feed starts again at 1.
            this.latestNumbered = this.feedLast;
            return false;
        }
        List<byte[]> entries = entriesOf(LogMessage.fromBytes(source.getData()));
        int first = (source.getSeq() == from.streamSeq()) ? from.index() + 1 : 0;
        for (int index = first; index < entries.size(); index++) {
            Source at = new Source(token, source.getSeq(), index, entries.size());
            Headers headers = new Headers().put(EXPECTED_LAST_SEQUENCE, Long.toString(this.feedLast))
                .put(SOURCE, at.header());
            byte[] body = entries.get(index);
            PublishAck ack = NatsFailures.call(() -> {
                try {
                    return this.space.js.publish(this.space.names.feedSubject(), headers, body);
                }
                catch (JetStreamApiException ex) {
                    if (NatsFailures.isCode(ex, NatsFailures.WRONG_LAST_SEQUENCE)) {
                        return null;
                    }
                    throw ex;
                }
            });
            if (ack == null) {
                // Another instance numbered it: continue from where the feed really stands.
                this.feedLast = -1;
                return true;
            }
            this.feedLast = ack.getSeqno();
            this.numbered = at;
            this.latestNumbered = this.feedLast;
        }
        return true;
    }

    /** One stored feed entry per change a log message records: a header line, then the event or session. */
    private static List<byte[]> entriesOf(LogMessage message) {
        List<byte[]> entries = new ArrayList<>();
        if (message.kind() == Kind.EVENTS) {
            for (EventRecord event : message.events()) {
                // The entry's own time is the append's; the event keeps its producer's timestamp.
                entries.add(entry(FeedEntryType.EVENT_APPENDED, message, message.timestamp(), JsonText.toJson(event)));
            }
        }
        else {
            Session session = message.session();
            entries.add(entry(message.kind().feedType, message, message.timestamp(),
                    (session != null) ? JsonText.toJson(session) : null));
        }
        return entries;
    }

    private static byte[] entry(FeedEntryType type, LogMessage message, Instant timestamp, @Nullable String body) {
        String text = "{\"type\":\"" + type.value() + "\",\"id\":" + JsonText.toJson(message.sessionId()) + ",\"p\":"
                + ((message.principal() != null) ? JsonText.toJson(message.principal()) : "null") + ",\"t\":"
                + timestamp.toEpochMilli() + "}" + ((body != null) ? "\n" + body : "");
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static FeedEntry entryOf(long seq, String epoch, byte[] data) {
        String[] lines = new String(data, StandardCharsets.UTF_8).split("\n", 2);
        Map<String, JsonMembers.Member> header = JsonMembers.parse(lines[0]);
        FeedEntryType type = FeedEntryType.fromValue(header.get("type").string()).orElseThrow();
        EventRecord event = null;
        Session session = null;
        if (lines.length > 1) {
            if (type == FeedEntryType.EVENT_APPENDED) {
                event = RecordJson.event(lines[1]);
            }
            else {
                session = RecordJson.session(lines[1]);
            }
        }
        JsonMembers.Member principal = header.get("p");
        return new FeedEntry(seq, type, header.get("id").string(),
                Instant.ofEpochMilli(Long.parseLong(header.get("t").raw())), epoch, event, session,
                principal.isNull() ? null : principal.string());
    }

    // Reads

    /** Where the feed stands: its latest seq, its earliest retained seq and its epoch. */
    LogPosition position() {
        if (!this.enabled) {
            return new LogPosition(0, 1, this.space.feedEpoch());
        }
        StreamInfo info = NatsFailures.call(() -> this.space.jsm.getStreamInfo(this.space.names.feedStream()));
        long last = info.getStreamState().getLastSequence();
        long first = (info.getStreamState().getMsgCount() == 0) ? last + 1 : info.getStreamState().getFirstSequence();
        // The epoch of the stream just read, not the one last checked: another instance may have recreated it.
        return new LogPosition(last, Math.max(first, 1), NatsSpace.token(info));
    }

    /** Reads a page, or {@code null} when retention removed an entry under the read (read again). */
    @Nullable FeedPage read(FeedQuery query, long maxPageBytes) {
        LogPosition position = position();
        ReadPlan plan = ReadPlan.of(query.after(), query.epoch(), null, position);
        List<FeedEntry> entries = new ArrayList<>(Math.min(query.limit(), 16));
        PageBudget budget = new PageBudget(maxPageBytes);
        for (long seq = Math.max(plan.after() + 1, position.earliestRetained()); seq <= plan.upTo()
                && entries.size() < query.limit(); seq++) {
            MessageInfo info = feedMessage(seq);
            if (info == null) {
                return null;
            }
            FeedEntry entry = entryOf(seq, position.epoch(), info.getData());
            if (query.matches(entry)) {
                if (!budget.take(PageBudget.bytesOf(entry))) {
                    break;
                }
                entries.add(entry);
            }
        }
        return plan.feedPage(position, entries, query.limit(), budget.cut());
    }

    /** The last events stream seq whose entries are all in the feed (everything, when the feed is off). */
    long numberedThrough() {
        if (!this.enabled) {
            return Long.MAX_VALUE;
        }
        MessageInfo last = lastFeedMessage();
        Source source = (last != null) ? Source.parse(last.getHeaders().getFirst(SOURCE)) : Source.NONE;
        return source.token().equals(this.space.eventsToken(source.token())) ? source.completeThrough() : 0;
    }

    // Retention

    /** Evicts entries beyond the count and older than the cutoff, keeping the newest (numbering resumes there). */
    long trim(long maxEntries, Instant cutoff) {
        if (!this.enabled) {
            return 0;
        }
        LogPosition position = position();
        long first = position.earliestRetained();
        long last = position.latest();
        if (last < first) {
            return 0;
        }
        long keepFrom = Math.max(first, last - maxEntries + 1);
        // The first entry at or after the cutoff: entries are numbered in (nearly) time order.
        long low = keepFrom;
        long high = last;
        while (low < high) {
            long middle = (low + high) >>> 1;
            MessageInfo info = feedMessage(middle);
            if (info != null && !entryOf(middle, "", info.getData()).timestamp().isBefore(cutoff)) {
                high = middle;
            }
            else {
                low = middle + 1;
            }
        }
        long below = low;
        if (below <= first) {
            return 0;
        }
        PurgeResponse purged = NatsFailures.call(() -> this.space.jsm.purgeStream(this.space.names.feedStream(),
                PurgeOptions.builder().sequence(below).build()));
        return purged.getPurged();
    }

    private @Nullable MessageInfo feedMessage(long seq) {
        return NatsFailures.call(() -> {
            try {
                return this.space.jsm.getMessage(this.space.names.feedStream(), seq);
            }
            catch (JetStreamApiException ex) {
                if (NatsFailures.isCode(ex, NatsFailures.NO_MESSAGE)) {
                    return null;
                }
                throw ex;
            }
        });
    }

    private @Nullable MessageInfo lastFeedMessage() {
        return NatsFailures.call(() -> {
            try {
                return this.space.jsm.getLastMessage(this.space.names.feedStream(), this.space.names.feedSubject());
            }
            catch (JetStreamApiException ex) {
                if (NatsFailures.isCode(ex, NatsFailures.NO_MESSAGE)) {
                    return null;
                }
                throw ex;
            }
        });
    }

    @Override
    public void close() {
        this.executor.shutdownNow();
    }

}
