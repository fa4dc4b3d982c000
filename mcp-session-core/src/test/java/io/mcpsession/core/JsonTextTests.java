package io.mcpsession.core;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JsonTextTests {

    @ParameterizedTest
    @ValueSource(strings = { "1.10", "1e5", "1E+5", "2.5e-3", "-0", "-0.0", "0.0000001", "12345678901234567890",
            "-12345678901234567890.000000000000000000001", "1.0E400", "100", "0" })
    void compactKeepsNumbersVerbatim(String number) {
        assertThat(JsonText.compact(number)).isEqualTo(number);
        assertThat(JsonText.compact("[ " + number + " , {\"n\" : " + number + " } ]"))
            .isEqualTo("[" + number + ",{\"n\":" + number + "}]");
    }

    @ParameterizedTest
    @ValueSource(strings = { "\"\\u00e9\"", "\"\\u00E9\"", "\"é\"", "\"\\\"\"", "\"\\\\\"", "\"\\/\"", "\"/\"",
            "\"\\n\\r\\t\\b\\f\"", "\"\\ud83d\\ude00\"", "\"😀\"", "\"\\u0000\"", "\"\u2028\"", "\"\"" })
    void compactKeepsUnicodeAndEscapesVerbatim(String string) {
        assertThat(JsonText.compact(string)).isEqualTo(string);
        assertThat(JsonText.compact("{ " + string + " : " + string + " }")).isEqualTo("{" + string + ":" + string + "}");
    }

    @Test
    void compactKeepsKeyOrderVerbatim() {
        assertThat(JsonText.compact("{ \"z\": 1, \"a\": 2, \"m\": { \"b\": 3, \"a\": 4 } }"))
            .isEqualTo("{\"z\":1,\"a\":2,\"m\":{\"b\":3,\"a\":4}}");
    }

    @Test
    void compactRemovesWhitespaceOutsideStrings() {
        String json = " \t\r\n{ \"a\" :\n [ 1 ,\t2 , true , false , null ] ,\r\n \"b\" : { } , \"c\" : [ ] }\r\n ";

        assertThat(JsonText.compact(json)).isEqualTo("{\"a\":[1,2,true,false,null],\"b\":{},\"c\":[]}");
    }

    @Test
    void compactNeverRemovesWhitespaceInsideStrings() {
        assertThat(JsonText.compact("{ \"a key\" : \"  two  spaces \" }")).isEqualTo("{\"a key\":\"  two  spaces \"}");
        // an escaped quote does not end a string, an escaped backslash before a quote does
        assertThat(JsonText.compact("[ \"\\\" still inside \" , \"x\" ]")).isEqualTo("[\"\\\" still inside \",\"x\"]");
        assertThat(JsonText.compact("[ \"\\\\\" , \" inside \" ]")).isEqualTo("[\"\\\\\",\" inside \"]");
        assertThat(JsonText.compact("[ \"\\\\\\\" \" , 1 ]")).isEqualTo("[\"\\\\\\\" \",1]");
        assertThat(JsonText.compact("\" { } [ ] : , \"")).isEqualTo("\" { } [ ] : , \"");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"a\":1}", "[]", "true", "null", "\"x\"", "0" })
    void compactLeavesCompactJsonUnchanged(String json) {
        assertThat(JsonText.compact(json)).isEqualTo(json);
    }

    @ParameterizedTest
    @ValueSource(strings = { "{", "}", "[", "]", "[1,]", "{\"a\":1,}", "{\"a\":}", "{\"a\" 1}", "{'a':1}", "{a:1}",
            "01", "1.", ".5", "+1", "-", "1e", "0x10", "NaN", "Infinity", "-Infinity", "tru", "nul", "True", "undefined",
            "\"unterminated", "\"\\x\"", "\"\\u12\"", "\"raw\ttab\"", "\"raw\nline\"", "{\"a\":1}//comment",
            "/*comment*/1", "# comment\n1", "[1 2]", "{\"a\":1 \"b\":2}", "\uFEFF{}", "\u00A01", "\f1", "'single'" })
    void compactRejectsMalformedJson(String json) {
        assertInvalidRequest(() -> JsonText.compact(json));
    }

    /** Jackson's messages name its classes and settings; the errors say what is wrong in the contract's words. */
    @ParameterizedTest
    @ValueSource(strings = { "NaN", "[Infinity]", "{'a':1}", "{a:1}", "/*c*/1", "[1,]", "\"\\x\"", "01" })
    void malformedJsonIsDescribedWithoutTheParsersNames(String json) {
        assertThatExceptionOfType(McpSessionException.class).isThrownBy(() -> JsonText.compact(json))
            .satisfies((ex) -> assertThat(ex.getMessage()).startsWith("Malformed JSON at line 1, column ")
                .doesNotContain("JsonReadFeature")
                .doesNotContain("ALLOW_")
                .doesNotContain("`"));
    }

    @Test
    void tooDeepJsonIsDescribedWithoutTheParsersNames() {
        String deep = "[".repeat(2000) + "]".repeat(2000);
        assertThatExceptionOfType(McpSessionException.class).isThrownBy(() -> JsonText.compact(deep))
            .satisfies((ex) -> assertThat(ex.getMessage()).contains("nests too deeply")
                .doesNotContain("StreamReadConstraints")
                .doesNotContain("()"));
        assertThatExceptionOfType(McpSessionException.class)
            .isThrownBy(() -> JsonMembers.parse("{\"a\":" + deep + "}"))
            .satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain("StreamReadConstraints"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{} x", "{}}", "{}]", "1 2", "1x", "[1] [2]", "[1],", "\"a\"\"b\"", "null null",
            "true false", "{}{}", "{} // trailing", "1 ,", "{}\u0000" })
    void compactRejectsTrailingGarbage(String json) {
        assertInvalidRequest(() -> JsonText.compact(json));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "\n\t\r " })
    void compactRejectsEmptyInput(String json) {
        assertInvalidRequest(() -> JsonText.compact(json));
    }

    @Test
    void compactObjectAcceptsAndCompactsAnObject() {
        assertThat(JsonText.compactObject("  { \"a\" : [ 1 ] }  ", "metadata")).isEqualTo("{\"a\":[1]}");
        assertThat(JsonText.compactObject("{}", "metadata")).isEqualTo("{}");
    }

    @ParameterizedTest
    @ValueSource(strings = { "[]", "[{}]", "1", "\"{}\"", "null", "true", "  [ ]  " })
    void compactObjectRejectsNonObjects(String json) {
        assertThatExceptionOfType(McpSessionException.class).isThrownBy(() -> JsonText.compactObject(json, "metadata"))
            .satisfies((ex) -> {
                assertThat(ex.code()).isEqualTo(ErrorCode.INVALID_REQUEST);
                assertThat(ex.getMessage()).contains("metadata");
            });
    }

    @ParameterizedTest
    @ValueSource(strings = { "{", "{} x", "" })
    void compactObjectRejectsMalformedJson(String json) {
        assertInvalidRequest(() -> JsonText.compactObject(json, "metadata"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "abc", "\u0000", "\u007F", "\u0080", "é", "\u07FF", "\u0800", "中", "\uFFFF",
            "\uFEFF", "😀", "\uD83D\uDE00x", "\uDBFF\uDFFF", "a é 中 😀 \uD800\uDC00", "{\"k\":\"ü😀\"}" })
    void utf8LengthEqualsTheUtf8EncodedLength(String text) {
        assertThat(JsonText.utf8Length(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void utf8LengthCountsOneTwoThreeAndFourByteCharacters() {
        assertThat(JsonText.utf8Length("a")).isEqualTo(1);
        assertThat(JsonText.utf8Length("é")).isEqualTo(2);
        assertThat(JsonText.utf8Length("€")).isEqualTo(3);
        assertThat(JsonText.utf8Length("😀")).isEqualTo(4);
        assertThat(JsonText.utf8Length("😀".repeat(1000))).isEqualTo(4000);
        assertThat(JsonText.utf8Length(null)).isZero();
    }

    @ParameterizedTest(name = "RFC 7396 example {index}: {0} + {1} = {2}")
    @MethodSource("rfc7396Examples")
    void mergePatchFollowsRfc7396(String target, String patch, String result) {
        assertThat(JsonText.mergePatch(target, patch)).isEqualTo(result);
    }

    static Stream<Arguments> rfc7396Examples() {
        // RFC 7396, Appendix A; a JSON null result is returned as Java null
        return Stream.of(Arguments.of("{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"),
                Arguments.of("{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}"),
                Arguments.of("{\"a\":\"b\"}", "{\"a\":null}", "{}"),
                Arguments.of("{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}"),
                Arguments.of("{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"),
                Arguments.of("{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}"),
                Arguments.of("{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}"),
                Arguments.of("{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}"),
                Arguments.of("[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]"),
                Arguments.of("{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]"),
                Arguments.of("{\"a\":\"foo\"}", "null", null),
                Arguments.of("{\"a\":\"foo\"}", "\"bar\"", "\"bar\""),
                Arguments.of("{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}"),
                Arguments.of("[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}"),
                Arguments.of("{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}"));
    }

    @Test
    void mergePatchOfAMissingTargetStartsFromAnEmptyObject() {
        assertThat(JsonText.mergePatch(null, "{\"a\":1,\"b\":null,\"c\":{\"d\":null}}")).isEqualTo("{\"a\":1,\"c\":{}}");
        assertThat(JsonText.mergePatch(null, "null")).isNull();
    }

    @Test
    void mergePatchKeepsTheTargetsKeyOrderAndAppendsNewKeys() {
        assertThat(JsonText.mergePatch("{\"z\":1,\"a\":2,\"m\":3}", "{\"a\":20,\"b\":4}"))
            .isEqualTo("{\"z\":1,\"a\":20,\"m\":3,\"b\":4}");
    }

    @Test
    void mergePatchResultIsCompactTextAlsoWhenThePatchIsNotAnObject() {
        // JsonText#mergePatch documents "returns the result as compact text"
        assertThat(JsonText.mergePatch("{ \"a\" : 1 }", "{ \"b\" : [ 1 , 2 ] }")).isEqualTo("{\"a\":1,\"b\":[1,2]}");
        assertThat(JsonText.mergePatch("{\"a\":1}", "[ 1 , 2 ]")).isEqualTo("[1,2]");
    }

    @Test
    void mergePatchLeavesNumbersOfUntouchedMembersVerbatim() {
        // JsonText promises that numbers "round-trip through every store"; a patch of one key must not rewrite others
        assertThat(JsonText.mergePatch("{\"a\":1e5,\"b\":-0,\"c\":1.10,\"d\":0.0000001}", "{\"e\":true}"))
            .isEqualTo("{\"a\":1e5,\"b\":-0,\"c\":1.10,\"d\":0.0000001,\"e\":true}");
    }

    static Stream<EventRecord> events() {
        return Stream.of(
                new EventRecord("s1", 1, "e1", "message", "{\"a\":1}", null, "{}", Instant.parse("2026-01-02T03:04:05.678Z"),
                        "0123abcd"),
                new EventRecord("s-2", 9_007_199_254_740_993L, "0190f5a8-7c1e-7000-8000-000000000000", "tool.call",
                        "[1.10,-0,\"\\u00e9\",null]", "run-1", "{\"k\":{\"n\":1e5}}",
                        Instant.parse("1999-12-31T23:59:59Z"), "E_p-0"),
                new EventRecord("s\"3\\", 2, "id with \"quotes\" \u0001 and \t", "type é 😀 \u2028", "\"x\"",
                        "run\n2", "{}", Instant.parse("2026-06-30T00:00:00.001Z"), "e"),
                new EventRecord("s4", 3, "e4", "message", "true", null, "{}", Instant.EPOCH, "e"));
    }

    @ParameterizedTest
    @MethodSource("events")
    void eventIsWrittenAsItsAnnotationsSay(EventRecord event) {
        JsonMapper annotations = JsonMapper.builder().build();

        assertThat(JsonText.toJson(event)).isEqualTo(annotations.writeValueAsString(event));
        assertThat(JsonText.toJsonBytes(event)).isEqualTo(annotations.writeValueAsBytes(event));
    }

    @Test
    void eventsOfOneMillisecondAndOfTheNextAreWrittenWithTheirOwnTimestamps() {
        JsonMapper annotations = JsonMapper.builder().build();
        Instant millisecond = Instant.parse("2026-01-02T03:04:05.678Z");
        for (Instant timestamp : List.of(millisecond, millisecond.plusNanos(999_999), millisecond.plusMillis(1),
                millisecond)) {
            EventRecord event = new EventRecord("s1", 1, "e1", "message", "{}", null, "{}", timestamp, "e");

            assertThat(JsonText.toJson(event)).isEqualTo(annotations.writeValueAsString(event));
        }
    }

    private static void assertInvalidRequest(ThrowingCallable call) {
        assertThatExceptionOfType(McpSessionException.class).isThrownBy(call)
            .extracting(McpSessionException::code)
            .isEqualTo(ErrorCode.INVALID_REQUEST);
    }

}
