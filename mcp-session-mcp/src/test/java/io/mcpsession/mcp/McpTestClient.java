package io.mcpsession.mcp;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A raw HTTP client of the MCP Streamable HTTP transport, for tests that look at the wire: status codes, headers,
 * SSE ids. It speaks to any instance by URL and keeps nothing between calls but what the test gives it.
 */
final class McpTestClient {

    static final JsonMapper JSON = JsonMapper.builder().build();

    static final Duration WAIT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, String> headers = new LinkedHashMap<>();

    McpTestClient header(String name, String value) {
        this.headers.put(name, value);
        return this;
    }

    McpTestClient as(String user) {
        return header(McpTestServer.USER_HEADER, user);
    }

    /** Initializes a session at {@code version} and says it is initialized; returns its id. */
    String initialize(String url, String version) {
        HttpResponse<String> response = post(url, null, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\","
                + "\"params\":{\"protocolVersion\":\"" + version + "\",\"capabilities\":{\"elicitation\":{}},"
                + "\"clientInfo\":{\"name\":\"test-client\",\"version\":\"1.0.0\"}}}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String sessionId = response.headers().firstValue(DurableMcpTransportProvider.SESSION_HEADER).orElseThrow();
        HttpResponse<String> initialized = post(url, sessionId,
                "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
        assertThat(initialized.statusCode()).as(initialized.body()).isEqualTo(202);
        return sessionId;
    }

    HttpResponse<String> post(String url, String sessionId, String body) {
        return post(url, sessionId, "application/json", body);
    }

    HttpResponse<String> post(String url, String sessionId, String contentType, String body) {
        return send(request(url, sessionId).header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body)), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> delete(String url, String sessionId) {
        return send(request(url, sessionId).DELETE(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String url, String sessionId, String lastEventId) {
        HttpRequest.Builder request = request(url, sessionId).GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Calls a tool; the response is an SSE stream read as it comes. */
    Stream call(String url, String sessionId, Object requestId, String tool, String arguments, String progressToken) {
        String meta = (progressToken != null) ? ",\"_meta\":{\"progressToken\":\"" + progressToken + "\"}" : "";
        String body = "{\"jsonrpc\":\"2.0\",\"id\":" + JSON.writeValueAsString(requestId)
                + ",\"method\":\"tools/call\",\"params\":{\"name\":\"" + tool + "\",\"arguments\":" + arguments + meta
                + "}}";
        return open(request(url, sessionId).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Opens (or resumes, with a last event id) a GET stream. */
    Stream listen(String url, String sessionId, String lastEventId) {
        HttpRequest.Builder request = request(url, sessionId).GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return open(request);
    }

    private Stream open(HttpRequest.Builder request) {
        HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        return new Stream(response);
    }

    private HttpRequest.Builder request(String url, String sessionId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(60))
            .header("Accept", "application/json, text/event-stream");
        if (sessionId != null) {
            request.header(DurableMcpTransportProvider.SESSION_HEADER, sessionId);
        }
        this.headers.forEach(request::header);
        return request;
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            return this.http.send(request.build(), handler);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    /** One SSE event as a client's parser sees it (comments dropped; {@code retry} set by a block before it). */
    record Event(String id, String type, String data, String retry) {

        JsonNode json() {
            return JSON.readTree(this.data);
        }

        boolean isPriming() {
            return this.id != null && this.data.isEmpty();
        }

    }

    /** An SSE response read line by line on a thread of its own; events queue up as they arrive. */
    static final class Stream implements AutoCloseable {

        private static final Event END = new Event(null, null, null, null);

        private final HttpResponse<InputStream> response;

        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

        private final List<Event> seen = new ArrayList<>();

        Stream(HttpResponse<InputStream> response) {
            this.response = response;
            if (response.statusCode() == 200) {
                Thread reader = new Thread(this::read, "sse-test-reader");
                reader.setDaemon(true);
                reader.start();
            }
            else {
                this.events.add(END);
            }
        }

        int status() {
            return this.response.statusCode();
        }

        /** The next event, waiting for it; fails when the stream ends first. */
        Event next() {
            Event event = poll();
            assertThat(event).as("the stream ended").isNotSameAs(END);
            return event;
        }

        /** Events up to and including the first one that is a JSON-RPC response. */
        List<Event> untilResponse() {
            List<Event> events = new ArrayList<>();
            Event event;
            do {
                event = next();
                events.add(event);
            }
            while (event.data().isEmpty() || !event.json().has("id") || event.json().has("method"));
            return events;
        }

        /** Waits for the server to end the stream, and returns the events that came until then. */
        List<Event> untilEnd() {
            List<Event> events = new ArrayList<>();
            Event event;
            while ((event = poll()) != END) {
                events.add(event);
            }
            this.events.add(END);
            return events;
        }

        private Event poll() {
            try {
                Event event = this.events.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                assertThat(event).as("an event within " + WAIT).isNotNull();
                if (event != END) {
                    this.seen.add(event);
                }
                else {
                    this.events.add(END);
                }
                return event;
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(ex);
            }
        }

        /** The id of the last event seen that carried one. */
        String lastEventId() {
            for (int i = this.seen.size() - 1; i >= 0; i--) {
                if (this.seen.get(i).id() != null) {
                    return this.seen.get(i).id();
                }
            }
            return null;
        }

        private void read() {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(this.response.body(), StandardCharsets.UTF_8))) {
                String id = null;
                String type = null;
                String retry = null;
                StringBuilder data = null;
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isEmpty()) {
                        // A block with only retry: sets the reconnection time; the next event carries it here.
                        if (data != null || id != null) {
                            this.events.add(new Event(id, type, (data != null) ? data.toString() : "", retry));
                            retry = null;
                        }
                        id = null;
                        type = null;
                        data = null;
                    }
                    else if (!line.startsWith(":")) {
                        int colon = line.indexOf(':');
                        String field = (colon < 0) ? line : line.substring(0, colon);
                        String value = (colon < 0) ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
                        switch (field) {
                            case "id" -> id = value;
                            case "event" -> type = value;
                            case "retry" -> retry = value;
                            case "data" -> data = (data == null) ? new StringBuilder(value) : data.append('\n').append(value);
                            default -> {
                            }
                        }
                    }
                }
            }
            catch (IOException ex) {
                // The connection ended.
            }
            finally {
                this.events.add(END);
            }
        }

        @Override
        public void close() {
            try {
                this.response.body().close();
            }
            catch (IOException ex) {
                // Closed already.
            }
        }

    }

}
