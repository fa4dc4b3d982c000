package io.mcpsession.benchmarks.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.MessageInfo;
import io.nats.client.impl.Headers;

import io.mcpsession.core.EventRecord;
import io.mcpsession.core.JsonText;
import io.mcpsession.core.NewEvent;

/**
 * The baseline of the NATS store: one JetStream publish per append into the store's events stream, on a subject
 * per session, of the message the store writes for one event (its header line, then the event as JSON), with the
 * same {@code Nats-Expected-Last-Subject-Sequence} guard. On a wrong-last-sequence error it reads the subject's
 * last message and tries again, as the store does. It keeps each session's last stream seq, latest event seq and
 * ids in memory under a per-session lock: no session record, no activity, no wake-ups, no feed.
 */
public final class RawNatsEngine implements AppendTarget {

    private static final String EXPECTED_LAST_SUBJECT_SEQUENCE = "Nats-Expected-Last-Subject-Sequence";

    /** The server's code for a publish whose expected last subject sequence is not the last one. */
    private static final int WRONG_LAST_SEQUENCE = 10071;

    private static final int NO_MESSAGE = 10037;

    private final JetStream js;

    private final JetStreamManagement jsm;

    private final String prefix;

    private final String epoch = UUID.randomUUID().toString().substring(0, 8);

    private final Runnable release;

    private final Map<String, Log> logs = new ConcurrentHashMap<>();

    private static final class Log {

        final String subject;

        long lastStreamSeq;

        long latest;

        final Map<String, Long> ids = new HashMap<>();

        Log(String subject) {
            this.subject = subject;
        }

    }

    /**
     * @param connection the connection to publish on
     * @param prefix the prefix of a store whose streams exist
     * @param release removes the streams and closes the connection
     */
    RawNatsEngine(Connection connection, String prefix, Runnable release) {
        try {
            this.js = connection.jetStream();
            this.jsm = connection.jetStreamManagement();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
        this.prefix = prefix;
        this.release = release;
    }

    @Override
    public void createSession(String sessionId) {
        String token = java.util.Base64.getUrlEncoder().withoutPadding()
            .encodeToString(sessionId.getBytes(StandardCharsets.UTF_8));
        this.logs.put(sessionId, new Log(this.prefix + ".ev." + token + "." + this.epoch));
    }

    @Override
    public long append(String sessionId, String eventId, String type, String data) {
        Log log = this.logs.get(sessionId);
        synchronized (log) {
            Long original = log.ids.get(eventId);
            if (original != null) {
                return original;
            }
            NewEvent event = NewEvent.of(eventId, type, data);
            Instant now = Instant.now();
            while (true) {
                long seq = log.latest + 1;
                EventRecord record = new EventRecord(sessionId, seq, eventId, event.typeOrDefault(), event.data(),
                        null, event.metadataOrEmpty(), now, this.epoch);
                byte[] message = ("{\"k\":\"e\",\"id\":" + JsonText.toJson(sessionId) + ",\"p\":null,\"t\":"
                        + now.toEpochMilli() + ",\"latest\":" + seq + "}\n" + JsonText.toJson(record))
                    .getBytes(StandardCharsets.UTF_8);
                Headers headers = new Headers().put(EXPECTED_LAST_SUBJECT_SEQUENCE,
                        Long.toString(log.lastStreamSeq));
                try {
                    log.lastStreamSeq = this.js.publish(log.subject, headers, message).getSeqno();
                    log.latest = seq;
                    log.ids.put(eventId, seq);
                    return seq;
                }
                catch (JetStreamApiException ex) {
                    if (ex.getApiErrorCode() != WRONG_LAST_SEQUENCE) {
                        throw new IllegalStateException(ex);
                    }
                    catchUp(log);
                }
                catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
    }

    /** After a lost race: where the subject stands now (its last message and the latest seq it records). */
    private void catchUp(Log log) {
        try {
            MessageInfo last = this.jsm.getLastMessage(this.prefix + "_EVENTS", log.subject);
            String header = new String(last.getData(), StandardCharsets.UTF_8).split("\n", 2)[0];
            log.lastStreamSeq = last.getSeq();
            log.latest = Long.parseLong(header.substring(header.indexOf("\"latest\":") + 9, header.length() - 1));
        }
        catch (JetStreamApiException ex) {
            if (ex.getApiErrorCode() != NO_MESSAGE) {
                throw new IllegalStateException(ex);
            }
            log.lastStreamSeq = 0;
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    @Override
    public long readAll(String sessionId) {
        throw new UnsupportedOperationException("The nats targets measure appends only");
    }

    @Override
    public void close() {
        this.release.run();
    }

}
