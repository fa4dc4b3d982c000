package io.mcpsession.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code secured} profile through real HTTP: the sample is an OAuth 2.0 resource server whose tokens are
 * signed here with a key pair made for this run (no issuer). Two users and an operator: each user sees only its
 * own sessions, events, state and feed (pages and stream), the other's get {@code 404}; the operator sees all;
 * no token gets {@code 401} with a problem body; health details and metrics need the operator's scope.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({ "memory", "secured" })
class SampleApplicationSecuredTests {

    private static final KeyPair KEYS = newKeyPair();

    private static final String BASE = "/mcp-sessions";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final JsonMapper json = JsonMapper.builder().build();

    private final List<InputStream> streams = new ArrayList<>();

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void publicKey(DynamicPropertyRegistry registry) {
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location", () -> {
            try {
                Path pem = Files.createTempFile("jwt-public-key", ".pem");
                pem.toFile().deleteOnExit();
                Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder().encodeToString(KEYS.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n");
                return pem.toUri().toString();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
    }

    @AfterEach
    void closeStreams() throws Exception {
        for (InputStream stream : this.streams) {
            stream.close();
        }
    }

    @Test
    void withoutAValidTokenEveryRequestGets401WithAProblem() throws Exception {
        for (String path : List.of(BASE, BASE + "/feed", BASE + "/anything", "/actuator/metrics", "/mcp")) {
            HttpResponse<String> response = send(HttpRequest.newBuilder(uri(path)).GET());
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                    (type) -> assertThat(type).startsWith("application/problem+json"));
            assertThat(this.json.readTree(response.body()).get("code").asString()).isEqualTo("UNAUTHORIZED");
        }
        HttpResponse<String> forged = send(HttpRequest.newBuilder(uri(BASE))
            .header("Authorization", "Bearer " + token("alice", "", newKeyPair())).GET());
        assertThat(forged.statusCode()).isEqualTo(401);
        HttpResponse<String> create = send(HttpRequest.newBuilder(uri(BASE))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(create.statusCode()).isEqualTo(401);
    }

    @Test
    void eachUserSeesOnlyItsOwnSessionsEventsAndState() throws Exception {
        String alice = token("alice", "", KEYS);
        String bob = token("bob", "", KEYS);
        // Both choose the same id: neither learns that the other did.
        JsonNode ofAlice = call("POST", BASE, "{\"id\":\"notes\",\"metadata\":{\"owner\":\"alice\"}}", alice, 201);
        JsonNode ofBob = call("POST", BASE, "{\"id\":\"notes\"}", bob, 201);
        String aliceId = ofAlice.get("id").asString();
        assertThat(aliceId).isNotEqualTo(ofBob.get("id").asString());
        assertThat(ofAlice.get("principal").asString()).isEqualTo("alice");
        call("POST", BASE + "/notes/events", "{\"id\":\"e1\",\"data\":\"alice's secret\"}", alice, 201);
        call("PUT", BASE + "/notes/state/k", "\"alice's state\"", alice, 204);

        // Alice reaches her session by the id she chose or by its stored id.
        assertThat(call("GET", BASE + "/notes", null, alice, 200).get("id").asString()).isEqualTo(aliceId);
        assertThat(call("GET", BASE + "/" + aliceId + "/events", null, alice, 200).at("/events/0/data").asString())
            .isEqualTo("alice's secret");
        assertThat(call("GET", BASE + "/notes/state/k", null, alice, 200).asString()).isEqualTo("alice's state");

        // Bob's 'notes' is his own, empty; alice's stored id is a missing session to him.
        assertThat(call("GET", BASE + "/notes/events", null, bob, 200).get("events")).isEmpty();
        for (String path : List.of("", "/events", "/events/latest", "/events/stream", "/state", "/state/k")) {
            JsonNode problem = call("GET", BASE + "/" + aliceId + path, null, bob, 404);
            assertThat(problem.get("code").asString()).isEqualTo("SESSION_NOT_FOUND");
        }
        call("POST", BASE + "/" + aliceId + "/events", "{\"data\":\"bob was here\"}", bob, 404);
        call("DELETE", BASE + "/" + aliceId, null, bob, 404);
        assertThat(ids(call("GET", BASE + "?limit=1000", null, bob, 200))).doesNotContain(aliceId)
            .contains(ofBob.get("id").asString());
        assertThat(ids(call("GET", BASE + "?limit=1000", null, alice, 200))).contains(aliceId)
            .doesNotContain(ofBob.get("id").asString());
        assertThat(call("GET", BASE + "/notes/events", null, alice, 200).at("/events/0/data").asString())
            .isEqualTo("alice's secret");
    }

    @Test
    void theFeedShowsEachUserOnlyItsOwnEntriesInPagesAndStreams() throws Exception {
        String alice = token("alice", "", KEYS);
        String bob = token("bob", "", KEYS);
        String admin = token("operator", "openid mcp-admin", KEYS);
        long start = call("GET", BASE + "/feed?limit=1", null, admin, 200).get("latest").asLong();
        List<String> bobsStream = openStream(BASE + "/feed/stream?after=" + start, bob);

        String aliceId = call("POST", BASE, "{}", alice, 201).get("id").asString();
        call("POST", BASE + "/" + aliceId + "/events", "{\"data\":\"alice's secret\"}", alice, 201);
        String bobId = call("POST", BASE, "{}", bob, 201).get("id").asString();
        call("POST", BASE + "/" + bobId + "/events", "{\"data\":\"bob's\"}", bob, 201);

        // Live: bob's stream carries his entries; alice's came first and never show.
        await().atMost(Duration.ofSeconds(20)).until(() -> bobsStream.stream().anyMatch((line) -> line.contains("bob's")));
        assertThat(String.join("\n", bobsStream)).doesNotContain(aliceId).doesNotContain("alice's");

        JsonNode bobsPage = call("GET", BASE + "/feed?after=" + start, null, bob, 200);
        assertThat(sessionIds(bobsPage)).containsOnly(bobId).hasSize(2);
        assertThat(bobsPage.get("nextCursor").asLong()).isEqualTo(bobsPage.get("latest").asLong());
        assertThat(sessionIds(call("GET", BASE + "/feed?after=" + start, null, alice, 200))).containsOnly(aliceId)
            .hasSize(2);
        assertThat(call("GET", BASE + "/feed?sessionId=" + aliceId, null, bob, 200).get("entries")).isEmpty();

        // The operator sees everything.
        assertThat(sessionIds(call("GET", BASE + "/feed?after=" + start, null, admin, 200)))
            .containsExactly(aliceId, aliceId, bobId, bobId);
        assertThat(ids(call("GET", BASE + "?limit=1000", null, admin, 200))).contains(aliceId, bobId);
        assertThat(call("GET", BASE + "/" + aliceId + "/events", null, admin, 200).at("/events/0/data").asString())
            .isEqualTo("alice's secret");
    }

    @Test
    void healthDetailsAndMetricsNeedTheOperatorsScope() throws Exception {
        HttpResponse<String> anonymousHealth = send(HttpRequest.newBuilder(uri("/actuator/health")).GET());
        assertThat(anonymousHealth.statusCode()).isEqualTo(200);
        JsonNode summary = this.json.readTree(anonymousHealth.body());
        assertThat(summary.get("status").asString()).isEqualTo("UP");
        assertThat(summary.has("components")).isFalse();

        String admin = token("operator", "mcp-admin", KEYS);
        assertThat(call("GET", "/actuator/health", null, admin, 200).at("/components/mcpSession/status").asString())
            .isEqualTo("UP");
        assertThat(call("GET", "/actuator/health", null, token("alice", "", KEYS), 200).has("components")).isFalse();
        assertThat(call("GET", "/actuator/metrics", null, token("alice", "", KEYS), 403).get("code").asString())
            .isEqualTo("FORBIDDEN");
        call("GET", "/actuator/metrics/mcp.session.created", null, admin, 200);
        assertThat(send(HttpRequest.newBuilder(uri("/actuator/prometheus"))
            .header("Authorization", "Bearer " + token("bob", "", KEYS)).GET()).statusCode()).isEqualTo(403);
    }

    private JsonNode call(String method, String path, String body, String token, int status) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        request.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
                : HttpRequest.BodyPublishers.noBody());
        HttpResponse<String> response = send(request);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        return response.body().isEmpty() ? this.json.nullNode() : this.json.readTree(response.body());
    }

    /** Reads an SSE stream's lines on a thread of its own, into the returned list. */
    private List<String> openStream(String path, String token) throws Exception {
        HttpResponse<InputStream> response = this.http.send(HttpRequest.newBuilder(uri(path))
            .header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream")
            .GET()
            .build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        this.streams.add(response.body());
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            }
            catch (IOException ex) {
                // The test closed the stream.
            }
        }, "feed-stream-reader");
        reader.setDaemon(true);
        reader.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> lines.stream().anyMatch((line) -> line.startsWith("retry:")));
        return lines;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("sessions").forEach((session) -> ids.add(session.get("id").asString()));
        return ids;
    }

    private static List<String> sessionIds(JsonNode feedPage) {
        List<String> ids = new ArrayList<>();
        feedPage.get("entries").forEach((entry) -> ids.add(entry.get("sessionId").asString()));
        return ids;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return this.http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + this.port + path);
    }

    private static String token(String subject, String scope, KeyPair keys) throws JOSEException {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(subject)
            .issueTime(new Date())
            .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))));
        if (!scope.isEmpty()) {
            claims.claim("scope", scope);
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.build());
        jwt.sign(new RSASSASigner((RSAPrivateKey) keys.getPrivate()));
        return jwt.serialize();
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
