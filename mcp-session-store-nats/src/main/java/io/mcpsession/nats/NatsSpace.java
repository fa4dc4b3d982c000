package io.mcpsession.nats;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.Message;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.MessageGetRequest;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;

/**
 * The streams and buckets of one store, created where missing, and the identity of each stream: its creation
 * time, which names the history it holds. A stream deleted and created again is another history, so the epochs
 * derived from it change and readers reset instead of aliasing old cursors onto new data.
 */
final class NatsSpace {

    /** How long the store remembers removed sessions (to place list cursors and to purge their data). */
    private static final Duration GRAVE_TTL = Duration.ofDays(1);

    final NatsNames names;

    final Connection connection;

    final JetStream js;

    final JetStreamManagement jsm;

    final KeyValue sessions;

    final KeyValue state;

    final KeyValue meta;

    final KeyValue graves;

    private final KeyValueManagement kvm;

    private final JetStreamOptions options;

    private final ReentrantLock repairing = new ReentrantLock();

    private final Duration requestTimeout;

    private volatile String eventsToken = "";

    private volatile String feedEpoch = "";

    private volatile String sessionsToken = "";

    /**
     * Counts the times this instance found a stream or bucket missing or recreated: an operation that failed
     * while it moved failed on the old space and may run once more.
     */
    private final AtomicLong generation = new AtomicLong();

    /** Whether the last look found a stream or bucket missing. */
    private boolean lost;

    NatsSpace(Connection connection, NatsNames names, Duration requestTimeout) {
        this.names = names;
        this.connection = connection;
        this.requestTimeout = requestTimeout;
        JetStreamOptions options = JetStreamOptions.builder().requestTimeout(requestTimeout).build();
        this.options = options;
        KeyValueOptions kvOptions = KeyValueOptions.builder().jetStreamOptions(options).build();
        this.kvm = NatsFailures.call(() -> connection.keyValueManagement(kvOptions));
        ensure();
        this.js = NatsFailures.call(() -> connection.jetStream(options));
        this.jsm = NatsFailures.call(() -> connection.jetStreamManagement(options));
        this.sessions = NatsFailures.call(() -> connection.keyValue(names.sessionsBucket(), kvOptions));
        this.state = NatsFailures.call(() -> connection.keyValue(names.stateBucket(), kvOptions));
        this.meta = NatsFailures.call(() -> connection.keyValue(names.metaBucket(), kvOptions));
        this.graves = NatsFailures.call(() -> connection.keyValue(names.gravesBucket(), kvOptions));
    }

    private boolean created;

    /**
     * Creates what is missing (creating an identical stream is idempotent, so instances racing here agree) and
     * reads the identity of both streams and the sessions bucket; whether anything was missing.
     */
    synchronized boolean ensure() {
        this.created = false;
        return NatsFailures.call(() -> {
            JetStreamManagement management = this.connection.jetStreamManagement(this.options);
            String events = token(ensureStream(management, this.names.eventsStream(), this.names.eventsSubjects()));
            String feed = token(ensureStream(management, this.names.feedStream(), this.names.feedSubject()));
            String sessions = token(ensureBucket(management, this.names.sessionsBucket(), null));
            for (String bucket : new String[] { this.names.stateBucket(), this.names.metaBucket() }) {
                ensureBucket(management, bucket, null);
            }
            ensureBucket(management, this.names.gravesBucket(), GRAVE_TTL);
            identify(events, feed, sessions);
            if (this.created) {
                this.generation.incrementAndGet();
            }
            return this.created;
        });
    }

    /**
     * Takes the identities just read (null: not read); a change (another instance recreated a stream) is a new
     * generation.
     */
    private synchronized void identify(@Nullable String events, @Nullable String feed, @Nullable String sessions) {
        boolean known = !this.eventsToken.isEmpty();
        boolean changed = (events != null && !events.equals(this.eventsToken))
                || (feed != null && !feed.equals(this.feedEpoch))
                || (sessions != null && !sessions.equals(this.sessionsToken));
        this.eventsToken = (events != null) ? events : this.eventsToken;
        this.feedEpoch = (feed != null) ? feed : this.feedEpoch;
        this.sessionsToken = (sessions != null) ? sessions : this.sessionsToken;
        this.lost = false;
        if (known && changed) {
            this.generation.incrementAndGet();
        }
    }

    /** See {@link #generation}. */
    long generation() {
        return this.generation.get();
    }

    /**
     * After a request failed while NATS itself is connected (a publish nobody took, a read nobody answered),
     * asks the server whether the store's streams and buckets are there, recreating what is missing.
     * Never while NATS is away (a down server is an outage, not a wipe), and never waiting long behind
     * another thread's repair.
     * @param seen the {@link #generation} when the failed operation started
     * @return whether the space was missing or recreated since then: the operation may run once more
     */
    boolean repair(long seen) {
        if (this.connection.getStatus() != Connection.Status.CONNECTED) {
            return false;
        }
        try {
            if (!this.repairing.tryLock(this.requestTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return false;
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
        try {
            ensure();
        }
        catch (RuntimeException ex) {
            // The server stopped answering meanwhile: the caller reports the original failure.
            return false;
        }
        finally {
            this.repairing.unlock();
        }
        return this.generation.get() != seen;
    }

    /**
     * Reads the identity of the streams and the sessions bucket again (another instance may have recreated
     * them). Three requests: the position check calls it every interval. What is missing is not recreated here
     * but by the next operation that needs it: an operator may be deleting the streams one by one right now,
     * and a feed recreated in the middle would be numbered from an events stream about to go.
     */
    void refresh() {
        try {
            NatsFailures.call(() -> {
                JetStreamManagement management = this.connection.jetStreamManagement(this.options);
                identify(token(management.getStreamInfo(this.names.eventsStream())),
                        token(management.getStreamInfo(this.names.feedStream())),
                        token(management.getStreamInfo("KV_" + this.names.sessionsBucket())));
                return null;
            });
        }
        catch (NatsFailures.MissingStream ex) {
            lost();
        }
    }

    /** Something is missing: whatever is there next is another history (counted once per loss). */
    private synchronized void lost() {
        if (!this.lost) {
            this.lost = true;
            this.generation.incrementAndGet();
        }
    }

    /**
     * The entry of a key, or null when it has none (or a delete marker), read through the stream API rather than
     * a bucket's direct get: the server answers a direct get of a bucket that is not there with nothing at all
     * (the caller would wait out the timeout after a wipe), a stream API read with "stream not found" at once.
     */
    @Nullable KeyValueEntry entry(KeyValue bucket, String key)
            throws IOException, JetStreamApiException, InterruptedException {
        String stream = "KV_" + bucket.getBucketName();
        byte[] request = MessageGetRequest.lastForSubject("$KV." + bucket.getBucketName() + "." + key)
            .serialize();
        Message reply = this.connection.request(this.options.getPrefix() + "STREAM.MSG.GET." + stream, request,
                this.requestTimeout);
        if (reply == null) {
            throw new IOException("No answer to a read of " + stream);
        }
        MessageInfo info = new MessageInfo(reply, stream, false);
        if (info.hasError()) {
            if (info.getApiErrorCode() == NatsFailures.NO_MESSAGE) {
                return null;
            }
            info.throwOnHasError();
        }
        KeyValueEntry entry = new KeyValueEntry(info);
        return (entry.getOperation() == KeyValueOperation.PUT) ? entry : null;
    }

    /** The identity of the events stream, part of every log epoch, as this instance last read it. */
    String eventsToken() {
        return this.eventsToken;
    }

    /**
     * The identity of the events stream, read again first when {@code seen} (an identity an instance stored,
     * in a session or a feed entry) names a newer stream: another instance recreated the stream since this one
     * last looked, and a log written now must carry the identity all instances will read.
     */
    String eventsToken(String seen) {
        if (!seen.isEmpty() && (this.eventsToken.isEmpty()
                || Long.parseLong(seen, 36) > Long.parseLong(this.eventsToken, 36))) {
            refresh();
        }
        return this.eventsToken;
    }

    /** The identity of the events stream as the server has it now (one request), for what is stored with it. */
    String currentEventsToken() {
        String events = NatsFailures.call(() -> token(this.jsm.getStreamInfo(this.names.eventsStream())));
        identify(events, null, null);
        return events;
    }

    /** The feed's epoch: the identity of the feed stream. */
    String feedEpoch() {
        return this.feedEpoch;
    }

    /** Deletes every stream and bucket of this store (for tests and tear-down). */
    void deleteAll() {
        NatsFailures.call(() -> {
            for (String stream : new String[] { this.names.eventsStream(), this.names.feedStream(),
                    "KV_" + this.names.sessionsBucket(), "KV_" + this.names.stateBucket(),
                    "KV_" + this.names.metaBucket(), "KV_" + this.names.gravesBucket() }) {
                try {
                    this.jsm.deleteStream(stream);
                }
                catch (JetStreamApiException ex) {
                    // Already gone.
                }
            }
            return null;
        });
    }

    private StreamInfo ensureStream(JetStreamManagement management, String name, String subjects)
            throws IOException, JetStreamApiException {
        try {
            return management.getStreamInfo(name);
        }
        catch (JetStreamApiException ex) {
            if (!NatsFailures.isCode(ex, NatsFailures.STREAM_NOT_FOUND)) {
                throw ex;
            }
            // File storage: an acknowledged publish survives a server restart.
            this.created = true;
            return management.addStream(StreamConfiguration.builder()
                .name(name)
                .subjects(subjects)
                .storageType(StorageType.File)
                .build());
        }
    }

    private StreamInfo ensureBucket(JetStreamManagement management, String bucket, Duration ttl)
            throws IOException, JetStreamApiException {
        try {
            return management.getStreamInfo("KV_" + bucket);
        }
        catch (JetStreamApiException ex) {
            if (!NatsFailures.isCode(ex, NatsFailures.STREAM_NOT_FOUND)) {
                throw ex;
            }
            KeyValueConfiguration.Builder config = KeyValueConfiguration.builder()
                .name(bucket)
                .storageType(StorageType.File)
                .maxHistoryPerKey(1);
            if (ttl != null) {
                config.ttl(ttl);
            }
            this.created = true;
            this.kvm.create(config.build());
            return management.getStreamInfo("KV_" + bucket);
        }
    }

    /** The identity of a stream: its creation time. */
    static String token(StreamInfo info) {
        ZonedDateTime created = info.getCreateTime();
        long nanos = created.toEpochSecond() * 1_000_000_000L + created.getNano();
        return Long.toString(nanos, 36);
    }

}
