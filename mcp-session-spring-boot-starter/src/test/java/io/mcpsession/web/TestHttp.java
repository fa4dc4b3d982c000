package io.mcpsession.web;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real HTTP through the server's port with {@link HttpClient}: every request has a timeout, so a bug fails a test
 * quickly instead of hanging it.
 */
final class TestHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    static final String APPLICATION_JSON = "application/json";

    private static final HttpClient CLIENT = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();

    private final String origin;

    TestHttp(int port) {
        this.origin = "http://localhost:" + port;
    }

    String origin() {
        return this.origin;
    }

    HttpClient client() {
        return CLIENT;
    }

    /** A request builder for {@code path} (already encoded) with the default timeout and extra headers. */
    HttpRequest.Builder request(String path, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(this.origin + path)).timeout(REQUEST_TIMEOUT);
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder;
    }

    Response get(String path, String... headers) {
        return send(request(path, headers).GET().build());
    }

    Response delete(String path, String... headers) {
        return send(request(path, headers).DELETE().build());
    }

    Response postJson(String path, String json, String... headers) {
        return send("POST", path, APPLICATION_JSON, json, headers);
    }

    Response putJson(String path, String json, String... headers) {
        return send("PUT", path, APPLICATION_JSON, json, headers);
    }

    /** Sends {@code body} with {@code contentType} (no Content-Type header when it is null; no body when null). */
    Response send(String method, String path, String contentType, String body, String... headers) {
        return send(build(method, path, contentType,
                (body != null) ? BodyPublishers.ofString(body, StandardCharsets.UTF_8) : BodyPublishers.noBody(),
                headers));
    }

    Response sendBytes(String method, String path, String contentType, byte[] body, String... headers) {
        return send(build(method, path, contentType, BodyPublishers.ofByteArray(body), headers));
    }

    HttpRequest build(String method, String path, String contentType, BodyPublisher body, String... headers) {
        HttpRequest.Builder builder = request(path, headers).method(method, body);
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return builder.build();
    }

    Response send(HttpRequest request) {
        return sendAsync(request).join();
    }

    /** Sends asynchronously; the future fails if no response comes within the request's timeout plus slack. */
    CompletableFuture<Response> sendAsync(HttpRequest request) {
        long timeoutMs = request.timeout().orElse(REQUEST_TIMEOUT).toMillis() + 5_000;
        return CLIENT.sendAsync(request, BodyHandlers.ofString(StandardCharsets.UTF_8))
            .thenApply((response) -> new Response(request.method(), request.uri(), response.statusCode(),
                    response.headers(), response.body()))
            .orTimeout(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** Opens an SSE stream; fails unless the response starts within the request timeout. */
    SseConnection stream(String path, String... headers) {
        HttpRequest request = request(path, headers).header("Accept", "text/event-stream").GET().build();
        HttpResponse<InputStream> response = CLIENT.sendAsync(request, BodyHandlers.ofInputStream())
            .orTimeout(REQUEST_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .join();
        return new SseConnection(response);
    }

    /** Percent-encodes one path segment (keeps RFC 3986 unreserved characters only). */
    static String segment(String value) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                encoded.append((char) c);
            }
            else {
                encoded.append('%').append(String.format("%02X", c));
            }
        }
        return encoded.toString();
    }

    /** Encodes a query parameter value. */
    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static JsonNode parse(String json) {
        return JSON.readTree(json);
    }

    /** A complete response. */
    record Response(String method, URI uri, int status, HttpHeaders headers, String body) {

        String header(String name) {
            return this.headers.firstValue(name).orElse(null);
        }

        String contentType() {
            return header("Content-Type");
        }

        JsonNode json() {
            return parse(this.body);
        }

        String describe() {
            return this.method + " " + this.uri + " -> " + this.status + " " + this.headers.map() + " " + this.body;
        }

        /** Asserts the status and, for a body, that it is JSON; returns the parsed body (or null). */
        JsonNode expect(int status) {
            assertThat(this.status).as(describe()).isEqualTo(status);
            if (this.body.isEmpty()) {
                return null;
            }
            assertThat(contentType()).as(describe()).startsWith(APPLICATION_JSON);
            return json();
        }

        /** Asserts an RFC 9457 problem with the contract's code; returns it. */
        JsonNode expectProblem(int status, String code) {
            assertThat(this.status).as(describe()).isEqualTo(status);
            assertThat(contentType()).as(describe()).startsWith("application/problem+json");
            JsonNode problem = json();
            assertThat(problem.get("status").asInt()).as(describe()).isEqualTo(status);
            assertThat(problem.get("code").asString()).as(describe()).isEqualTo(code);
            assertThat(problem.path("title").asString("")).as(describe()).isNotBlank();
            assertThat(problem.path("detail").asString("")).as(describe()).isNotBlank();
            assertThat(this.body).as(describe())
                .doesNotContain("Exception")
                .doesNotContain("io.mcpsession")
                .doesNotContain("tools.jackson")
                .doesNotContain("java.lang")
                .doesNotContain("\tat ");
            return problem;
        }

    }

}
