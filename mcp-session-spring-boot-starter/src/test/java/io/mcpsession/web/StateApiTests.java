package io.mcpsession.web;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session's key-value state over HTTP (SPEC §6 "Sessions", state endpoints).
 */
class StateApiTests extends SharedContextTestSupport {

    @Test
    void putGetDeleteOneKey() {
        String id = createSession("state");
        String path = sessionPath(id) + "/state/color";
        TestHttp.Response put = this.http.putJson(path, "\"blue\"");
        assertThat(put.status()).as(put.describe()).isEqualTo(204);
        assertThat(put.body()).isEmpty();
        TestHttp.Response get = this.http.get(path);
        get.expect(200);
        assertThat(get.body()).isEqualTo("\"blue\"");

        this.http.putJson(path, "{\"r\":1}").expect(204);
        assertThat(this.http.get(path).body()).isEqualTo("{\"r\":1}");

        TestHttp.Response deleted = this.http.delete(path);
        assertThat(deleted.status()).as(deleted.describe()).isEqualTo(204);
        this.http.get(path).expectProblem(404, "STATE_KEY_NOT_FOUND");
        this.http.delete(path).expectProblem(404, "STATE_KEY_NOT_FOUND");
    }

    @Test
    void getAllState() {
        String id = createSession("state-all");
        assertThat(this.http.get(sessionPath(id) + "/state").expect(200).size()).isZero();
        this.http.putJson(sessionPath(id) + "/state/a", "1").expect(204);
        this.http.putJson(sessionPath(id) + "/state/b", "[true,null]").expect(204);
        this.http.putJson(sessionPath(id) + "/state/c", "null").expect(204);
        JsonNode all = this.http.get(sessionPath(id) + "/state").expect(200);
        assertThat(all).isEqualTo(TestHttp.parse("{\"a\":1,\"b\":[true,null],\"c\":null}"));
        assertThat(this.http.get(sessionPath(id) + "/state/c").body()).isEqualTo("null");
    }

    @Test
    void valuesRoundTripVerbatim() {
        String id = createSession("state-verbatim");
        String value = "{\"z\":1.10,\"a\":[12345678901234567890,-0.0,1e400],\"s\":\"h\u00e9llo \\u00e9 \ud83d\ude00\",\"m\":{}}";
        this.http.putJson(sessionPath(id) + "/state/v", value).expect(204);
        TestHttp.Response get = this.http.get(sessionPath(id) + "/state/v");
        get.expect(200);
        assertThat(get.body()).isEqualTo(value);
        assertThat(this.http.get(sessionPath(id) + "/state").body()).isEqualTo("{\"v\":" + value + "}");
        // Insignificant whitespace goes, everything else stays.
        this.http.putJson(sessionPath(id) + "/state/w", " { \"b\" : 1.50 ,\n \"a\" : \" x \" } ").expect(204);
        assertThat(this.http.get(sessionPath(id) + "/state/w").body()).isEqualTo("{\"b\":1.50,\"a\":\" x \"}");
    }

    @Test
    void keysArePathSegments() {
        String id = createSession("state-keys");
        String key = "with space:and+plus\u00e9";
        this.http.putJson(sessionPath(id) + "/state/" + TestHttp.segment(key), "true").expect(204);
        assertThat(this.http.get(sessionPath(id) + "/state").json().has(key)).isTrue();
        assertThat(this.http.get(sessionPath(id) + "/state/" + TestHttp.segment(key)).body()).isEqualTo("true");
        this.http.putJson(sessionPath(id) + "/state/" + "k".repeat(256), "1").expect(204);
        this.http.putJson(sessionPath(id) + "/state/" + "k".repeat(257), "1").expectProblem(400, "INVALID_REQUEST");
    }

    @Test
    void badWritesAreRefused() {
        String id = createSession("state-bad");
        String path = sessionPath(id) + "/state/k";
        this.http.send("PUT", path, "application/json", null).expectProblem(400, "INVALID_REQUEST");
        this.http.putJson(path, "{\"a\":").expectProblem(400, "INVALID_REQUEST");
        this.http.putJson(path, "1 2").expectProblem(400, "INVALID_REQUEST");
        this.http.send("PUT", path, "text/plain", "1").expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        this.http.send("PUT", path, null, "1").expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        this.http.get(path).expectProblem(404, "STATE_KEY_NOT_FOUND");
    }

    /**
     * SPEC §6: a body that is not JSON is 415. A form body on PUT must be refused like any other non-JSON body,
     * not consumed by a servlet filter and then reported as a missing body.
     */
    @Test
    void formBodyOnPutIsUnsupportedMediaType() {
        String id = createSession("state-form");
        this.http.send("PUT", sessionPath(id) + "/state/k", "application/x-www-form-urlencoded", "a=1")
            .expectProblem(415, "UNSUPPORTED_MEDIA_TYPE");
        this.http.get(sessionPath(id) + "/state/k").expectProblem(404, "STATE_KEY_NOT_FOUND");
    }

    @Test
    void unknownSessionIsNotFound() {
        String path = sessionPath(uniqueId("nobody")) + "/state";
        this.http.get(path).expectProblem(404, "SESSION_NOT_FOUND");
        this.http.get(path + "/k").expectProblem(404, "SESSION_NOT_FOUND");
        this.http.putJson(path + "/k", "1").expectProblem(404, "SESSION_NOT_FOUND");
        this.http.delete(path + "/k").expectProblem(404, "SESSION_NOT_FOUND");
    }

}
