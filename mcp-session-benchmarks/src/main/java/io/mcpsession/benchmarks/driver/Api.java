package io.mcpsession.benchmarks.driver;

import java.io.IOException;

import io.mcpsession.benchmarks.app.AppInstances;
import io.mcpsession.benchmarks.app.BroadcastController;
import io.mcpsession.benchmarks.app.NoopController;

/**
 * The requests the load driver sends, as the session API (SPEC §6) and the baselines define them.
 */
public final class Api {

    private Api() {
    }

    /** The JSON body of an event append with an idempotency key. */
    public static String eventBody(String eventId, String type, String data) {
        return "{\"id\":\"" + eventId + "\",\"type\":\"" + type + "\",\"data\":" + data + "}";
    }

    /** {@code POST {base}/{id}/events} with {@code body}. */
    public static byte[] append(String sessionId, String body) {
        return HttpConnection.request("POST", eventsPath(sessionId), body);
    }

    /** The no-op POST of the same application, with the same body. */
    public static byte[] noop(String body) {
        return HttpConnection.request("POST", NoopController.PATH, body);
    }

    /** The baseline broadcast to the baseline streams. */
    public static byte[] broadcast(String data) {
        return HttpConnection.request("POST", BroadcastController.PATH, data);
    }

    public static String eventsPath(String sessionId) {
        return AppInstances.BASE + "/" + sessionId + "/events";
    }

    /** The path of a session's event stream from {@code after}. */
    public static String streamPath(String sessionId, long after) {
        return eventsPath(sessionId) + "/stream?after=" + after;
    }

    /** Creates a session with the given id. */
    public static void createSession(HttpConnection connection, String sessionId) throws IOException {
        expect(connection.send("POST", AppInstances.BASE, "{\"id\":\"" + sessionId + "\"}"), 201);
    }

    /** Deletes a session. */
    public static void deleteSession(HttpConnection connection, String sessionId) throws IOException {
        expect(connection.send("DELETE", AppInstances.BASE + "/" + sessionId, null), 204);
    }

    /** Checks a response's status. */
    public static HttpConnection.Response expect(HttpConnection.Response response, int status) {
        if (response.status() != status) {
            throw new IllegalStateException("Expected HTTP " + status + " but got " + response.status() + ": "
                    + response.text());
        }
        return response;
    }

}
