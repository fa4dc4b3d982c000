package io.mcpsession.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session's event log over HTTP (SPEC §3 and §6 "Events"), without waiting.
 */
class EventApiTests extends SharedContextTestSupport {

    private static final Pattern TIMESTAMP = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3,}Z");

    @Test
    void appendOneThenDuplicateReturnsTheOriginal() {
        String id = createSession("events");
        TestHttp.Response created = this.http.postJson(sessionPath(id) + "/events",
                "{\"id\":\"e-1\",\"type\":\"progress\",\"data\":{\"n\":1},\"runId\":\"run-1\",\"metadata\":{\"m\":true}}");
        JsonNode event = created.expect(201);
        assertThat(event.get("sessionId").asString()).isEqualTo(id);
        assertThat(event.get("seq").asLong()).isEqualTo(1);
        assertThat(event.get("id").asString()).isEqualTo("e-1");
        assertThat(event.get("type").asString()).isEqualTo("progress");
        assertThat(event.get("data")).isEqualTo(TestHttp.parse("{\"n\":1}"));
        assertThat(event.get("runId").asString()).isEqualTo("run-1");
        assertThat(event.get("metadata")).isEqualTo(TestHttp.parse("{\"m\":true}"));
        assertThat(event.get("timestamp").asString()).matches(TIMESTAMP);
        assertThat(event.get("epoch").asString()).isNotBlank();

        // Same id: 200 with the stored original, whatever the new data says; nothing appended.
        TestHttp.Response duplicate = this.http.postJson(sessionPath(id) + "/events",
                "{\"id\":\"e-1\",\"type\":\"other\",\"data\":{\"n\":2}}");
        JsonNode original = duplicate.expect(200);
        assertThat(original).isEqualTo(event);
        assertThat(duplicate.body()).isEqualTo(created.body());
        JsonNode page = readEvents(id, "");
        assertThat(page.get("events").size()).isEqualTo(1);
        assertThat(page.get("latest").asLong()).isEqualTo(1);

        // Defaults: generated UUIDv7 id, type message, runId null, metadata {}.
        JsonNode second = this.http.postJson(sessionPath(id) + "/events", "{\"data\":\"x\"}").expect(201);
        assertThat(second.get("seq").asLong()).isEqualTo(2);
        assertThat(java.util.UUID.fromString(second.get("id").asString()).version()).isEqualTo(7);
        assertThat(second.get("type").asString()).isEqualTo("message");
        assertThat(second.get("runId").isNull()).isTrue();
        assertThat(second.get("metadata").size()).isZero();

        // The same id in another session is another event.
        String other = createSession("events-other");
        JsonNode elsewhere = this.http.postJson(sessionPath(other) + "/events", "{\"id\":\"e-1\",\"data\":{\"n\":3}}")
            .expect(201);
        assertThat(elsewhere.get("seq").asLong()).isEqualTo(1);
        assertThat(elsewhere.get("data")).isEqualTo(TestHttp.parse("{\"n\":3}"));
    }

    @Test
    void ephemeralIsAcceptedAndNeverRead() {
        String id = createSession("ephemeral");
        append(id, "{\"data\":1}");
        TestHttp.Response accepted = this.http.postJson(sessionPath(id) + "/events",
                "{\"type\":\"token\",\"data\":\"t\",\"ephemeral\":true}");
        assertThat(accepted.status()).as(accepted.describe()).isEqualTo(202);
        JsonNode page = readEvents(id, "");
        assertThat(page.get("events").size()).isEqualTo(1);
        assertThat(page.get("latest").asLong()).isEqualTo(1);
        assertThat(this.http.get(sessionPath(id) + "/events/latest").expect(200).get("latest").asLong()).isEqualTo(1);
        JsonNode feed = this.http.get(BASE + "/feed?types=event.appended&sessionId=" + TestHttp.query(id)).expect(200);
        assertThat(feed.get("entries").size()).isEqualTo(1);
        // ephemeral: false is an ordinary append.
        assertThat(append(id, "{\"data\":2,\"ephemeral\":false}").get("seq").asLong()).isEqualTo(2);
        this.http.postJson(sessionPath(id) + "/events", "{\"data\":2,\"ephemeral\":\"yes\"}")
            .expectProblem(400, "INVALID_REQUEST");
    }

    @Test
    void batchIsContiguousAndIdempotent() {
        String id = createSession("batch");
        append(id, "{\"data\":0}");
        TestHttp.Response created = this.http.postJson(sessionPath(id) + "/events",
                "[{\"id\":\"b1\",\"data\":1},{\"id\":\"b2\",\"data\":2},{\"data\":3}]");
        JsonNode events = created.expect(201);
        assertThat(events.isArray()).isTrue();
        assertThat(seqs(events)).containsExactly(2L, 3L, 4L);
        assertThat(events.get(0).get("id").asString()).isEqualTo("b1");

        TestHttp.Response again = this.http.postJson(sessionPath(id) + "/events",
                "[{\"id\":\"b1\",\"data\":10},{\"id\":\"b2\",\"data\":20}]");
        JsonNode originals = again.expect(200);
        assertThat(seqs(originals)).containsExactly(2L, 3L);
        assertThat(originals.get(0).get("data").asInt()).isEqualTo(1);

        // A mix is 201; the duplicate keeps its place, the new one gets the next seq.
        JsonNode mixed = this.http.postJson(sessionPath(id) + "/events",
                "[{\"id\":\"b3\",\"data\":5},{\"id\":\"b1\",\"data\":11},{\"id\":\"b4\",\"data\":6}]").expect(201);
        assertThat(seqs(mixed)).containsExactly(5L, 2L, 6L);

        // An id repeated inside one batch returns its original in place.
        JsonNode repeated = this.http.postJson(sessionPath(id) + "/events",
                "[{\"id\":\"r1\",\"data\":\"first\"},{\"id\":\"r1\",\"data\":\"second\"}]").expect(201);
        assertThat(seqs(repeated)).containsExactly(7L, 7L);
        assertThat(repeated.get(1).get("data").asString()).isEqualTo("first");
        assertThat(readEvents(id, "").get("latest").asLong()).isEqualTo(7);

        this.http.postJson(sessionPath(id) + "/events", "[]").expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(sessionPath(id) + "/events", "[{\"data\":1},{\"data\":2,\"ephemeral\":true}]")
            .expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(sessionPath(id) + "/events", "[{\"data\":1},2]").expectProblem(400, "INVALID_REQUEST");
        assertThat(readEvents(id, "").get("latest").asLong()).as("a failed batch appends nothing").isEqualTo(7);
    }

    @Test
    void readsFilterAndReportNextCursor() {
        String id = createSession("reads");
        StringBuilder batch = new StringBuilder("[");
        for (int i = 1; i <= 12; i++) {
            String type = (i % 3 == 0) ? "b" : "a";
            String run = (i <= 6) ? "r1" : "r2";
            batch.append((i > 1) ? "," : "")
                .append("{\"type\":\"").append(type).append("\",\"runId\":\"").append(run)
                .append("\",\"data\":").append(i).append('}');
        }
        this.http.postJson(sessionPath(id) + "/events", batch.append(']').toString()).expect(201);

        JsonNode all = readEvents(id, "");
        assertThat(all.get("sessionId").asString()).isEqualTo(id);
        assertThat(seqs(all.get("events"))).containsExactlyElementsOf(range(1, 12));
        assertThat(all.get("latest").asLong()).isEqualTo(12);
        assertThat(all.get("earliestRetained").asLong()).isEqualTo(1);
        assertThat(all.get("nextCursor").asLong()).isEqualTo(12);
        assertThat(all.get("reset").asBoolean()).isFalse();
        assertThat(all.has("resetReason")).isFalse();
        String epoch = epochOf(all);

        JsonNode page = readEvents(id, "?after=0&limit=5");
        assertThat(seqs(page.get("events"))).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(page.get("nextCursor").asLong()).isEqualTo(5);
        page = readEvents(id, "?after=5&limit=5");
        assertThat(seqs(page.get("events"))).containsExactly(6L, 7L, 8L, 9L, 10L);
        page = readEvents(id, "?after=10&limit=5");
        assertThat(seqs(page.get("events"))).containsExactly(11L, 12L);
        assertThat(page.get("nextCursor").asLong()).isEqualTo(12);

        page = readEvents(id, "?after=2&before=6");
        assertThat(seqs(page.get("events"))).containsExactly(3L, 4L, 5L);
        assertThat(page.get("nextCursor").asLong()).as("min(latest, before - 1)").isEqualTo(5);

        page = readEvents(id, "?type=b");
        assertThat(seqs(page.get("events"))).containsExactly(3L, 6L, 9L, 12L);
        assertThat(page.get("nextCursor").asLong()).isEqualTo(12);
        page = readEvents(id, "?type=b&limit=2");
        assertThat(seqs(page.get("events"))).containsExactly(3L, 6L);
        assertThat(page.get("nextCursor").asLong()).as("full page: the last returned").isEqualTo(6);
        page = readEvents(id, "?type=b&after=6&before=12");
        assertThat(seqs(page.get("events"))).containsExactly(9L);
        assertThat(page.get("nextCursor").asLong()).isEqualTo(11);

        page = readEvents(id, "?runId=r2&type=a");
        assertThat(seqs(page.get("events"))).containsExactly(7L, 8L, 10L, 11L);
        page = readEvents(id, "?type=none");
        assertThat(page.get("events").size()).isZero();
        assertThat(page.get("nextCursor").asLong()).isEqualTo(12);

        // since: timestamp >= since.
        Instant since = Instant.parse(all.get("events").get(6).get("timestamp").asString());
        page = readEvents(id, "?since=" + TestHttp.query(since.toString()));
        List<Long> expected = new ArrayList<>();
        all.get("events").forEach((event) -> {
            if (!Instant.parse(event.get("timestamp").asString()).isBefore(since)) {
                expected.add(event.get("seq").asLong());
            }
        });
        assertThat(seqs(page.get("events"))).containsExactlyElementsOf(expected).contains(7L);
        page = readEvents(id, "?since=" + TestHttp.query(Instant.now().plusSeconds(3600).toString()));
        assertThat(page.get("events").size()).isZero();

        // After latest: nothing, no reset, the cursor never moves back.
        page = readEvents(id, "?after=100");
        assertThat(page.get("events").size()).isZero();
        assertThat(page.get("reset").asBoolean()).isFalse();
        assertThat(page.get("nextCursor").asLong()).isEqualTo(100);

        // The current epoch is no reset.
        page = readEvents(id, "?after=3&epoch=" + epoch);
        assertThat(page.get("reset").asBoolean()).isFalse();
        assertThat(seqs(page.get("events")).get(0)).isEqualTo(4L);
    }

    @Test
    void defaultLimitIs100() {
        String id = createSession("limit");
        StringBuilder batch = new StringBuilder("[");
        for (int i = 1; i <= 150; i++) {
            batch.append((i > 1) ? "," : "").append("{\"data\":").append(i).append('}');
        }
        this.http.postJson(sessionPath(id) + "/events", batch.append(']').toString()).expect(201);
        JsonNode page = readEvents(id, "");
        assertThat(page.get("events").size()).isEqualTo(100);
        assertThat(page.get("nextCursor").asLong()).isEqualTo(100);
        page = readEvents(id, "?after=100&limit=1000");
        assertThat(seqs(page.get("events"))).containsExactlyElementsOf(range(101, 150));
    }

    @Test
    void latestDeleteBeforeAndRetentionReset() {
        String id = createSession("trim");
        JsonNode empty = this.http.get(sessionPath(id) + "/events/latest").expect(200);
        assertThat(empty.get("latest").asLong()).isZero();
        assertThat(empty.get("earliestRetained").asLong()).isEqualTo(1);
        assertThat(empty.get("epoch").asString()).isNotBlank();
        for (int i = 1; i <= 10; i++) {
            append(id, "{\"data\":" + i + "}");
        }
        JsonNode latest = this.http.get(sessionPath(id) + "/events/latest").expect(200);
        assertThat(latest.get("latest").asLong()).isEqualTo(10);
        assertThat(latest.get("earliestRetained").asLong()).isEqualTo(1);
        assertThat(latest.get("epoch")).isEqualTo(empty.get("epoch"));
        assertThat(latest.size()).isEqualTo(3);

        TestHttp.Response trimmed = this.http.delete(sessionPath(id) + "/events?before=5");
        assertThat(trimmed.status()).as(trimmed.describe()).isEqualTo(204);
        latest = this.http.get(sessionPath(id) + "/events/latest").expect(200);
        assertThat(latest.get("latest").asLong()).isEqualTo(10);
        assertThat(latest.get("earliestRetained").asLong()).isEqualTo(5);

        JsonNode page = readEvents(id, "?after=4");
        assertThat(page.get("reset").asBoolean()).isFalse();
        assertThat(seqs(page.get("events"))).containsExactlyElementsOf(range(5, 10));
        page = readEvents(id, "?after=2");
        assertThat(page.get("reset").asBoolean()).isTrue();
        assertThat(page.get("resetReason").asString()).isEqualTo("retention");
        assertThat(seqs(page.get("events"))).containsExactlyElementsOf(range(5, 10));
        assertThat(page.get("earliestRetained").asLong()).isEqualTo(5);
        assertThat(page.get("nextCursor").asLong()).isEqualTo(10);

        page = readEvents(id, "?after=0&limit=2");
        assertThat(page.get("reset").asBoolean()).isTrue();
        assertThat(seqs(page.get("events"))).containsExactly(5L, 6L);
        assertThat(page.get("nextCursor").asLong()).isEqualTo(6);

        this.http.delete(sessionPath(id) + "/events").expectProblem(400, "INVALID_REQUEST");
        this.http.delete(sessionPath(id) + "/events?before=0").expectProblem(400, "INVALID_REQUEST");
        this.http.delete(sessionPath(id) + "/events?before=abc").expectProblem(400, "INVALID_REQUEST");
        this.http.delete(sessionPath(uniqueId("nobody")) + "/events?before=2").expectProblem(404, "SESSION_NOT_FOUND");
        this.http.get(sessionPath(uniqueId("nobody")) + "/events/latest").expectProblem(404, "SESSION_NOT_FOUND");
    }

    @Test
    void deleteBeforeBeyondLatestEmptiesTheLogAndSeqsContinue() {
        String id = createSession("trim-all");
        for (int i = 1; i <= 3; i++) {
            append(id, "{\"id\":\"t" + i + "\",\"data\":" + i + "}");
        }
        this.http.delete(sessionPath(id) + "/events?before=1000").expect(204);
        JsonNode latest = this.http.get(sessionPath(id) + "/events/latest").expect(200);
        assertThat(latest.get("latest").asLong()).isEqualTo(3);
        assertThat(latest.get("earliestRetained").asLong()).isEqualTo(4);
        JsonNode page = readEvents(id, "?after=3");
        assertThat(page.get("events").size()).isZero();
        assertThat(page.get("reset").asBoolean()).isFalse();
        // Seqs never go back, and a trimmed id appends anew.
        JsonNode again = this.http.postJson(sessionPath(id) + "/events", "{\"id\":\"t1\",\"data\":\"again\"}")
            .expect(201);
        assertThat(again.get("seq").asLong()).isEqualTo(4);
    }

    @Test
    void anotherEpochResets() {
        String id = createSession("epoch");
        for (int i = 1; i <= 3; i++) {
            append(id, "{\"data\":" + i + "}");
        }
        JsonNode page = readEvents(id, "?after=2&epoch=other");
        assertThat(page.get("reset").asBoolean()).isTrue();
        assertThat(page.get("resetReason").asString()).isEqualTo("epoch");
        assertThat(page.get("epoch").asString()).isNotEqualTo("other");
        assertThat(seqs(page.get("events"))).containsExactly(1L, 2L, 3L);
        this.http.get(sessionPath(id) + "/events?epoch=" + TestHttp.query("bad epoch!"))
            .expectProblem(400, "INVALID_CURSOR");
    }

    @Test
    void dataRoundTripsByteForByte() {
        String id = createSession("verbatim");
        String data = "{\"z\":1.10,\"a\":12345678901234567890,\"u\":\"h\u00e9llo \\u00e9 \ud83d\ude00 \\\"q\\\" \\n\","
                + "\"n\":[-0.0,1E+2,0.1000,null,true],\"o\":{\"b\":1,\"a\":2}}";
        String metadata = "{\"y\":2.50,\"x\":\"\u4e2d\u6587\"}";
        TestHttp.Response created = this.http.postJson(sessionPath(id) + "/events",
                "{ \"type\" : \"t\", \"data\" : " + data + " , \"metadata\" : " + metadata + " }");
        created.expect(201);
        assertThat(created.body()).contains("\"data\":" + data + ",").contains("\"metadata\":" + metadata + ",");
        TestHttp.Response read = this.http.get(sessionPath(id) + "/events");
        read.expect(200);
        assertThat(read.body()).contains("\"data\":" + data + ",").contains("\"metadata\":" + metadata + ",");

        // Whitespace inside the value is insignificant and goes; scalars and strings are kept as written.
        TestHttp.Response spaced = this.http.postJson(sessionPath(id) + "/events",
                "{\"data\":[ 1.0 , \"a  b\" ,\n {\"k\" : 3.14159265358979323846264338327950288} ]}");
        spaced.expect(201);
        assertThat(spaced.body()).contains("\"data\":[1.0,\"a  b\",{\"k\":3.14159265358979323846264338327950288}]");
        JsonNode scalar = this.http.postJson(sessionPath(id) + "/events", "{\"data\":\"just a string\"}").expect(201);
        assertThat(scalar.get("data").asString()).isEqualTo("just a string");
        this.http.postJson(sessionPath(id) + "/events", "{\"data\":null}").expect(201);
    }

    /**
     * A request body that is not valid UTF-8 is not JSON (RFC 8259 §8.1): it must be refused, never stored with
     * its bytes silently replaced (SPEC §3.9 "Nothing ever fails by silently dropping or truncating data").
     */
    @Test
    void invalidUtf8IsInvalidRequest() {
        String id = createSession("utf8");
        byte[] prefix = "{\"data\":\"bad ".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] suffix = "\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + 2 + suffix.length];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xFF;
        body[prefix.length + 1] = (byte) 0xFE;
        System.arraycopy(suffix, 0, body, prefix.length + 2, suffix.length);
        this.http.sendBytes("POST", sessionPath(id) + "/events", "application/json", body)
            .expectProblem(400, "INVALID_REQUEST");
        assertThat(readEvents(id, "").get("latest").asLong()).isZero();
    }

    @Test
    void eventBoundsAreChecked() {
        String id = createSession("bounds");
        String path = sessionPath(id) + "/events";
        this.http.postJson(path, "{\"id\":\"" + "i".repeat(256) + "\",\"type\":\"" + "t".repeat(256) + "\",\"runId\":\""
                + "r".repeat(256) + "\",\"data\":1}").expect(201);
        this.http.postJson(path, "{\"id\":\"" + "i".repeat(257) + "\",\"data\":1}").expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(path, "{\"type\":\"" + "t".repeat(257) + "\",\"data\":1}").expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(path, "{\"runId\":\"" + "r".repeat(257) + "\",\"data\":1}").expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(path, "{\"id\":\"\",\"data\":1}").expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(path, "{\"type\":\"\",\"data\":1}").expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(path, "{\"runId\":\"\",\"data\":1}").expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(path, "{\"type\":\"t\"}").expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(path, "{\"data\":1,\"metadata\":[]}").expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(path, "{\"data\":1,\"extra\":1}").expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(path, "{\"data\":1,\"data\":2}").expectProblem(400, "INVALID_REQUEST");
        this.http.postJson(path, "\"data\"").expectProblem(400, "INVALID_REQUEST");
        this.http.send("POST", path, "application/json", null).expectProblem(400, "INVALID_REQUEST");
        assertThat(readEvents(id, "").get("latest").asLong()).isEqualTo(1);
    }

    @Test
    void producerTimestampIsKeptAsUtcMillis() {
        String id = createSession("timestamps");
        String path = sessionPath(id) + "/events";

        JsonNode given = this.http.postJson(path,
                "{\"id\":\"relayed\",\"data\":1,\"timestamp\":\"2026-01-02T03:04:05.678+02:00\"}").expect(201);
        JsonNode stamped = this.http.postJson(path, "{\"data\":2}").expect(201);
        JsonNode batch = this.http.postJson(path, "[{\"data\":3,\"timestamp\":\"2026-01-02T01:04:05.678999Z\"},"
                + "{\"data\":4,\"timestamp\":\"2025-12-31t23:00:00-05:30\"},{\"data\":5,\"timestamp\":null}]")
            .expect(201);

        assertThat(given.get("timestamp").asString()).isEqualTo("2026-01-02T01:04:05.678Z");
        assertThat(batch.get(0).get("timestamp").asString()).as("sub-millisecond digits are dropped")
            .isEqualTo("2026-01-02T01:04:05.678Z");
        assertThat(batch.get(1).get("timestamp").asString()).isEqualTo("2026-01-01T04:30:00.000Z");
        JsonNode events = readEvents(id, "").get("events");
        assertThat(events.get(0).get("timestamp").asString()).isEqualTo("2026-01-02T01:04:05.678Z");
        assertThat(events.get(1).get("timestamp").asString()).isEqualTo(stamped.get("timestamp").asString());
        assertThat(Instant.parse(events.get(4).get("timestamp").asString()))
            .as("null stands for none: the store's clock").isAfter(Instant.parse("2026-01-02T01:04:05.678Z"));
        // since filters on the producer's time: the two events of 2026-01-02 01:04:05.678 and the store's.
        assertThat(seqs(readEvents(id, "?since=2026-01-02T01:04:05.678Z").get("events")))
            .containsExactly(1L, 2L, 3L, 5L);
        // A duplicate returns the original with its original timestamp.
        JsonNode duplicate = this.http.postJson(path,
                "{\"id\":\"relayed\",\"data\":1,\"timestamp\":\"2030-01-01T00:00:00Z\"}").expect(200);
        assertThat(duplicate.get("timestamp").asString()).isEqualTo("2026-01-02T01:04:05.678Z");
        // The feed entry carries the event as stored; the entry's own time is the store's.
        JsonNode feed = this.http.get(BASE + "/feed?types=event.appended&sessionId=" + TestHttp.query(id)).expect(200);
        JsonNode first = feed.get("entries").get(0);
        assertThat(first.at("/event/timestamp").asString()).isEqualTo("2026-01-02T01:04:05.678Z");
        assertThat(Instant.parse(first.get("timestamp").asString())).isAfter(Instant.parse("2026-01-02T01:04:05.678Z"));
        // An ephemeral event takes one too.
        assertThat(this.http.postJson(path,
                "{\"data\":6,\"ephemeral\":true,\"timestamp\":\"2026-01-02T03:04:05.678+02:00\"}").status())
            .isEqualTo(202);
    }

    @Test
    void badTimestampIsInvalidRequestAndAppendsNothing() {
        String id = createSession("bad-timestamps");
        String path = sessionPath(id) + "/events";
        append(id, "{\"data\":0}");
        List<String> invalid = List.of("\"yesterday\"", "\"\"", "\"2026-01-02T03:04:05\"", "\"2026-01-02\"",
                "\"2026-01-02 03:04:05Z\"", "\"2026-01-02T03:04Z\"", "\"2026-02-30T00:00:00Z\"",
                "\"2026-01-02T24:00:00Z\"", "\"2026-01-02T03:04:05+25:00\"", "\"+10000-01-01T00:00:00Z\"",
                "\"0000-12-31T23:59:59Z\"", "1767315845678", "true", "{}", "[]");
        for (String timestamp : invalid) {
            JsonNode problem = this.http.postJson(path, "{\"data\":1,\"timestamp\":" + timestamp + "}")
                .expectProblem(400, "INVALID_REQUEST");
            assertThat(problem.get("detail").asString()).as("detail for %s", timestamp).contains("'timestamp'");
            this.http.postJson(path, "[{\"data\":1},{\"data\":2,\"timestamp\":" + timestamp + "}]")
                .expectProblem(400, "INVALID_REQUEST");
        }
        assertThat(readEvents(id, "").get("latest").asLong()).as("a bad timestamp appends nothing").isEqualTo(1);
    }

    static List<Long> seqs(JsonNode events) {
        List<Long> seqs = new ArrayList<>();
        events.forEach((event) -> seqs.add(event.get("seq").asLong()));
        return seqs;
    }

    static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

}
