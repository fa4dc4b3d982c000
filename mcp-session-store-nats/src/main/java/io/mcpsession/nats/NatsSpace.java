package io.mcpsession.nats;

import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.locks.ReentrantLock;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.api.KeyValueConfiguration;
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

    private volatile String eventsToken = "";

    private volatile String feedEpoch = "";

    NatsSpace(Connection connection, NatsNames names, Duration requestTimeout) {
        this.names = names;
        this.connection = connection;
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

    /** Creates what is missing and reads the identity of both streams; whether anything was missing. */
    synchronized boolean ensure() {
        this.created = false;
        return NatsFailures.call(() -> {
            JetStreamManagement management = this.connection.jetStreamManagement(this.options);
            this.eventsToken = token(ensureStream(management, this.names.eventsStream(), this.names.eventsSubjects()));
            this.feedEpoch = token(ensureStream(management, this.names.feedStream(), this.names.feedSubject()));
            for (String bucket : new String[] { this.names.sessionsBucket(), this.names.stateBucket(),
                    this.names.metaBucket() }) {
                ensureBucket(management, bucket, null);
            }
            ensureBucket(management, this.names.gravesBucket(), GRAVE_TTL);
            return this.created;
        });
    }

    /**
     * Recreates what is missing after a request went unanswered, unless NATS itself is away (then there is
     * nothing to repair) or another thread is repairing: callers never queue behind an outage.
     * @return whether anything was missing
     */
    boolean repair() {
        if (this.connection.getStatus() != Connection.Status.CONNECTED || !this.repairing.tryLock()) {
            return false;
        }
        try {
            return ensure();
        }
        finally {
            this.repairing.unlock();
        }
    }

    /**
     * Reads the identity of both streams again (another instance may have recreated one), recreating what is
     * missing. Two requests: the position check calls it every interval.
     */
    void refresh() {
        try {
            NatsFailures.call(() -> {
                JetStreamManagement management = this.connection.jetStreamManagement(this.options);
                this.eventsToken = token(management.getStreamInfo(this.names.eventsStream()));
                this.feedEpoch = token(management.getStreamInfo(this.names.feedStream()));
                return null;
            });
        }
        catch (NatsFailures.MissingStream ex) {
            ensure();
        }
    }

    /** The identity of the events stream, part of every log epoch. */
    String eventsToken() {
        return this.eventsToken;
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

    private void ensureBucket(JetStreamManagement management, String bucket, Duration ttl)
            throws IOException, JetStreamApiException {
        try {
            management.getStreamInfo("KV_" + bucket);
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
        }
    }

    private static String token(StreamInfo info) {
        ZonedDateTime created = info.getCreateTime();
        long nanos = created.toEpochSecond() * 1_000_000_000L + created.getNano();
        return Long.toString(nanos, 36);
    }

}
