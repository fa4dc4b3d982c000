package io.mcpsession.web;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.mcpsession.core.EventPage;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.EventRecord;
import io.mcpsession.core.FeedEntry;
import io.mcpsession.core.FeedPage;
import io.mcpsession.core.FeedQuery;
import io.mcpsession.core.Limits;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionPage;
import io.mcpsession.store.SessionStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Random requests against the whole HTTP API on the memory store, through real HTTP from several threads at once:
 * well-formed and broken paths, ids, keys, parameters, headers and bodies, mixed with valid ones that reach deep
 * into the store. Whatever comes, no answer is a 5xx, no body carries a stack trace or a class name, every error
 * under the base path is a problem with a {@code code}, the server's heap after GC grows by less than a bound, and
 * afterwards every log is contiguous with one event per id, and the feed is contiguous.
 * <p>
 * The run is bounded ({@link #REQUESTS_PER_THREAD} requests on each of {@link #THREADS} threads, a few seconds) and
 * random per build; the seed is logged and in every failure, and {@code -Dmcp.session.fuzz.seed=<seed>} replays
 * each thread's sequence of requests (their interleaving is the scheduler's).
 */
@SpringBootTest(classes = WebTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "mcp.session.long-poll.max-wait=100ms", "mcp.session.sse.keepalive=200ms",
                "mcp.session.web.allowed-origins=https://allowed.example" })
class HttpApiFuzzTests extends WebTestSupport {

    private static final Log logger = LogFactory.getLog(HttpApiFuzzTests.class);

    private static final int THREADS = 4;

    private static final int REQUESTS_PER_THREAD = 200;

    /** What the run may add to the heap after GC: what the store keeps of it is a few MB at most. */
    private static final long HEAP_GROWTH_BOUND = 64L * 1024 * 1024;

    private static final List<String> LEAKS = List.of("Exception", "\tat ", "java.", "javax.", "jakarta.",
            "io.mcpsession", "tools.jackson", "com.fasterxml", "org.springframework", "org.apache", "io.lettuce",
            "StreamReadConstraints", "JsonReadFeature", "Caused by");

    private static final String[] METHODS = { "GET", "GET", "GET", "POST", "POST", "POST", "PUT", "PATCH", "DELETE",
            "OPTIONS", "HEAD" };

    private static final String[] RAW_SEGMENTS = { "%2F", "%5C", "%25", "%00", "%FF", "..", ".", "a;b=c", "%3B",
            "%7B%7D", "%E2%82%AC", "feed", "console", "%20", "%0A", "~", "x%2Fy", "%C0%AF", "state", "events" };

    private static final String[] CONTENT_TYPES = { "application/json", "application/json", "application/json",
            "application/merge-patch+json", "application/vnd.x+json", "application/x-www-form-urlencoded",
            "text/plain", "multipart/form-data; boundary=z", "application/json; charset=latin1", "*/*", "garbage",
            null };

    private static final String[] ORIGINS = { null, null, null, null, "https://evil.example",
            "https://allowed.example", "null" };

    private static final String[] ACCEPTS = { null, "application/json", "text/event-stream", "text/html",
            "application/xml", "*/*" };

    private static final String SPECIAL = "/\\;%?#{}\"'<>&=:,. ";

    private static final String[] PARAMETERS = { "after", "before", "limit", "waitMs", "type", "runId", "since",
            "epoch", "types", "sessionId" };

    @Autowired
    private SessionStore store;

    @Test
    void randomRequestsNeverBreakTheApi() throws Exception {
        long seed = Long.getLong("mcp.session.fuzz.seed", new Random().nextLong());
        logger.info("HTTP API fuzz seed: " + seed + " (replay with -Dmcp.session.fuzz.seed=" + seed + ")");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(createSession("fuzz"));
        }
        long heapBefore = heapAfterGc();

        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        try {
            List<CompletableFuture<Void>> runs = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Random random = new Random(seed + t);
                runs.add(CompletableFuture.runAsync(() -> {
                    for (int i = 0; i < REQUESTS_PER_THREAD; i++) {
                        check(seed, send(randomRequest(random, ids)));
                    }
                }, threads));
            }
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(50, TimeUnit.SECONDS);
        }
        finally {
            threads.shutdownNow();
        }

        await().atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(heapAfterGc() - heapBefore).as("heap growth after GC, seed %d", seed)
                .isLessThan(HEAP_GROWTH_BOUND));
        assertStoreInvariants(seed);
    }

    private HttpRequest randomRequest(Random random, List<String> ids) {
        String method = pick(random, METHODS);
        String path = randomPath(random, ids) + randomQuery(random);
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.http.origin() + path))
            .timeout(TestHttp.REQUEST_TIMEOUT);
        byte[] body = randomBody(random);
        builder.method(method, (body != null) ? BodyPublishers.ofByteArray(body) : BodyPublishers.noBody());
        header(builder, "Content-Type", (body != null || random.nextInt(4) == 0) ? pick(random, CONTENT_TYPES) : null);
        header(builder, "Origin", pick(random, ORIGINS));
        header(builder, "Accept", pick(random, ACCEPTS));
        if (random.nextInt(6) == 0) {
            header(builder, "Last-Event-ID", randomText(random, 20).replaceAll("[^\\x21-\\x7e]", "x"));
        }
        if (random.nextInt(40) == 0) {
            header(builder, "X-Big", "b".repeat(20_000));
        }
        return builder.build();
    }

    private static void header(HttpRequest.Builder builder, String name, String value) {
        if (value != null) {
            builder.header(name, value);
        }
    }

    private static String randomPath(Random random, List<String> ids) {
        StringBuilder path = new StringBuilder(BASE);
        int shape = random.nextInt(12);
        if (shape == 0) {
            return (random.nextBoolean()) ? path.toString() : path.append('/').toString();
        }
        if (shape == 1) {
            return path.append("/feed").append(random.nextBoolean() ? "/stream" : "").toString();
        }
        path.append('/').append(randomIdSegment(random, ids));
        switch (random.nextInt(7)) {
            case 0 -> {
            }
            case 1, 2 -> path.append("/events").append(pick(random, new String[] { "", "", "/latest", "/stream" }));
            case 3, 4 -> path.append("/state").append(random.nextBoolean() ? "/" + randomKeySegment(random) : "");
            case 5 -> path.append('/').append(pick(random, RAW_SEGMENTS));
            default -> path.append('/').append(TestHttp.segment(randomText(random, 10)))
                .append('/')
                .append(pick(random, RAW_SEGMENTS));
        }
        return path.toString();
    }

    private static String randomIdSegment(Random random, List<String> ids) {
        return switch (random.nextInt(10)) {
            case 0 -> pick(random, RAW_SEGMENTS);
            case 1 -> TestHttp.segment(randomText(random, (random.nextInt(8) == 0) ? 3000 : 40));
            case 2 -> TestHttp.segment("fuzz-" + random.nextInt(50));
            default -> TestHttp.segment(ids.get(random.nextInt(ids.size())));
        };
    }

    private static String randomKeySegment(Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> pick(random, RAW_SEGMENTS);
            case 1 -> TestHttp.segment(randomText(random, (random.nextBoolean()) ? 300 : 5));
            default -> "k" + random.nextInt(4);
        };
    }

    private static String randomQuery(Random random) {
        int count = random.nextInt(4);
        if (count == 0) {
            return "";
        }
        StringBuilder query = new StringBuilder("?");
        for (int i = 0; i < count; i++) {
            String name = pick(random, PARAMETERS);
            String value = switch (random.nextInt(8)) {
                case 0 -> Long.toString(random.nextLong());
                case 1 -> Integer.toString(random.nextInt(2000) - 500);
                case 2 -> "";
                case 3 -> TestHttp.query(randomText(random, 12));
                case 4 -> "99999999999999999999";
                case 5 -> "2026-01-01T00:00:00Z";
                case 6 -> "session.created,event.appended";
                default -> Integer.toString(random.nextInt(5));
            };
            if (name.equals("waitMs") && random.nextBoolean()) {
                value = Integer.toString(random.nextInt(50));
            }
            query.append((i > 0) ? "&" : "").append(name).append('=').append(value);
        }
        return query.toString();
    }

    private static byte[] randomBody(Random random) {
        String json = switch (random.nextInt(16)) {
            case 0 -> null;
            case 1 -> "";
            case 2 -> "{\"data\":" + randomJson(random, 3) + "}";
            case 3 -> "{\"id\":\"e" + random.nextInt(20) + "\",\"type\":\"t\",\"data\":" + randomJson(random, 2) + "}";
            case 4 -> "[{\"data\":1},{\"id\":\"b" + random.nextInt(5) + "\",\"data\":2},{\"data\":"
                    + randomJson(random, 2) + "}]";
            case 5 -> "{\"data\":1,\"ephemeral\":true}";
            case 6 -> "{\"id\":\"fuzz-" + random.nextInt(50) + "\",\"metadata\":" + randomObject(random, 2) + "}";
            case 7 -> "{\"metadata\":" + randomObject(random, 2) + ",\"initialized\":true,\"protocolVersion\":null}";
            case 8 -> "[".repeat(2000) + "]".repeat(2000);
            case 9 -> "{\"data\":NaN}";
            case 10 -> "{\"data\":\"" + "x".repeat((random.nextInt(50) == 0) ? 200_000 : random.nextInt(2000)) + "\"}";
            case 11 -> randomJson(random, 3);
            case 12 -> "{\"unknown\":1,\"data\":2}";
            case 13 -> "{\"data\":1}{\"data\":2}";
            case 14 -> null;
            default -> randomText(random, 30);
        };
        if (json == null) {
            return (random.nextInt(10) == 0) ? new byte[] { (byte) 0xC3, (byte) 0x28, '{', '}' } : null;
        }
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String randomJson(Random random, int depth) {
        return switch ((depth <= 0) ? random.nextInt(5) : random.nextInt(7)) {
            case 0 -> Integer.toString(random.nextInt());
            case 1 -> "\"" + randomText(random, 8).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            case 2 -> "1.0E400";
            case 3 -> "null";
            case 4 -> "true";
            case 5 -> randomObject(random, depth - 1);
            default -> "[" + randomJson(random, depth - 1) + "," + randomJson(random, depth - 1) + "]";
        };
    }

    private static String randomObject(Random random, int depth) {
        return "{\"k" + random.nextInt(3) + "\":" + randomJson(random, depth) + ",\"\\u00e9\":"
                + randomJson(random, depth) + "}";
    }

    /** Printable and unprintable characters, some beyond ASCII; never a control character a header refuses. */
    private static String randomText(Random random, int maxLength) {
        int length = random.nextInt(maxLength + 1);
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            char c = switch (kind) {
                case 0 -> (char) (0x80 + random.nextInt(0x700));
                case 1 -> SPECIAL.charAt(random.nextInt(SPECIAL.length()));
                default -> (char) (0x21 + random.nextInt(0x5E));
            };
            text.append(c);
        }
        return text.toString();
    }

    private static <T> T pick(Random random, T[] values) {
        return values[random.nextInt(values.length)];
    }

    /** Sends and takes the whole body, except of an event stream that started: its first bytes are enough. */
    private Answer send(HttpRequest request) {
        HttpResponse<InputStream> response;
        try {
            response = this.http.client()
                .sendAsync(request, BodyHandlers.ofInputStream())
                .orTimeout(TestHttp.REQUEST_TIMEOUT.toMillis() + 5_000, TimeUnit.MILLISECONDS)
                .join();
        }
        catch (CompletionException ex) {
            throw new AssertionError(request.method() + " " + request.uri() + " " + request.headers().map()
                    + " got no answer", ex.getCause());
        }
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        try (InputStream in = response.body()) {
            boolean stream = response.statusCode() == 200 && contentType.startsWith("text/event-stream");
            byte[] body = stream ? in.readNBytes(5) : in.readAllBytes();
            String path = request.uri().normalize().getRawPath();
            return new Answer(request.method() + " " + request.uri(), path.equals(BASE) || path.startsWith(BASE + "/"),
                    response.statusCode(), contentType,
                    new String(body, StandardCharsets.UTF_8));
        }
        catch (IOException ex) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed to answer", ex);
        }
    }

    private static void check(long seed, Answer answer) {
        String described = answer.describe() + " (seed " + seed + ")";
        for (String leak : LEAKS) {
            assertThat(answer.body()).as(described).doesNotContain(leak);
        }
        if (!answer.isForTheApi()) {
            // A path whose dot segments lead out of the API ("/mcp-sessions/../x") is the application's to answer.
            return;
        }
        assertThat(answer.status()).as(described).isLessThan(500);
        if (answer.status() >= 400 && !answer.request().startsWith("HEAD ")) {
            assertThat(answer.contentType()).as(described).startsWith("application/problem+json");
            assertThat(TestHttp.parse(answer.body()).path("code").asString("")).as(described).isNotBlank();
        }
    }

    private void assertStoreInvariants(long seed) {
        String after = null;
        int sessions = 0;
        do {
            SessionPage page = this.store.list(after, Limits.MAX_READ_LIMIT);
            for (Session session : page.sessions()) {
                assertLogIsContiguous(session.id(), seed);
                sessions++;
            }
            after = page.nextCursor();
        }
        while (after != null);
        assertThat(sessions).isPositive();
        assertFeedIsContiguous(seed);
    }

    private void assertLogIsContiguous(String sessionId, long seed) {
        List<Long> seqs = new ArrayList<>();
        Set<String> eventIds = new HashSet<>();
        long cursor = 0;
        EventPage page;
        do {
            page = this.store.read(sessionId, new EventQuery(cursor, null, null, null, null, null,
                    Limits.MAX_READ_LIMIT));
            for (EventRecord event : page.events()) {
                seqs.add(event.seq());
                assertThat(eventIds.add(event.id())).as("event id %s twice in %s (seed %d)", event.id(), sessionId, seed)
                    .isTrue();
            }
            cursor = page.nextCursor();
        }
        while (!page.events().isEmpty() && cursor < page.latest());
        List<Long> expected = LongStream.rangeClosed(page.earliestRetained(), page.latest()).boxed().toList();
        assertThat(seqs).as("the log of %s (seed %d)", sessionId, seed).isEqualTo(expected);
    }

    private void assertFeedIsContiguous(long seed) {
        List<Long> seqs = new ArrayList<>();
        long cursor = 0;
        FeedPage page;
        do {
            page = this.store.readFeed(FeedQuery.after(cursor).withLimit(Limits.MAX_READ_LIMIT));
            page.entries().stream().map(FeedEntry::seq).forEach(seqs::add);
            cursor = page.nextCursor();
        }
        while (!page.entries().isEmpty() && cursor < page.latest());
        assertThat(seqs).as("the feed (seed %d)", seed)
            .isEqualTo(LongStream.rangeClosed(page.earliestRetained(), page.latest()).boxed().toList());
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private record Answer(String request, boolean isForTheApi, int status, String contentType, String body) {

        String describe() {
            String shown = (this.body.length() > 600) ? this.body.substring(0, 600) + "…" : this.body;
            return this.request + " -> " + this.status + " " + this.contentType + " " + shown;
        }

    }

}
