package io.mcpsession.sse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.mcpsession.sse.EventStreamParser.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SseFramesTests {

    // --- the test parser itself follows the standard (its own examples) ---

    @Test
    void parserFiresTheStandardsFourBlockExampleAsSpecified() {
        String stream = ": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n";

        EventStreamParser parsed = EventStreamParser.parse(stream);

        assertThat(parsed.events()).containsExactly(new Event("message", "first event", "1"),
                new Event("message", "second event", ""), new Event("message", " third event", ""));
        assertThat(parsed.lastEventId()).isEmpty();
    }

    @Test
    void parserFiresEmptyDataAndANewlineButDiscardsAnUnterminatedBlock() {
        EventStreamParser parsed = EventStreamParser.parse("data\n\ndata\ndata\n\ndata:");

        assertThat(parsed.events()).extracting(Event::data).containsExactly("", "\n");
    }

    @Test
    void parserTreatsASpaceAfterTheColonAsOptional() {
        EventStreamParser parsed = EventStreamParser.parse("data:test\n\ndata: test\n\n");

        assertThat(parsed.events()).extracting(Event::data).containsExactly("test", "test");
    }

    @Test
    void parserSplitsLinesAtCrLfLoneCrAndLoneLf() {
        EventStreamParser parsed = EventStreamParser.parse("data: a\rdata: b\r\ndata: c\nevent: t\r\r\n");

        assertThat(parsed.events()).containsExactly(new Event("t", "a\nb\nc", ""));
    }

    @Test
    void parserIgnoresOneLeadingByteOrderMarkOnly() {
        assertThat(EventStreamParser.parse("\uFEFFdata: x\n\n".getBytes(StandardCharsets.UTF_8)).events())
            .extracting(Event::data)
            .containsExactly("x");
        assertThat(EventStreamParser.parse("\uFEFF\uFEFFdata: x\n\n").events()).isEmpty();
    }

    @Test
    void parserIgnoresAnIdHoldingNulAndARetryThatIsNotAllDigits() {
        EventStreamParser parsed = EventStreamParser.parse("id: 1\n\nid: a\u0000b\nretry: 1s\ndata: x\n\n");

        assertThat(parsed.events()).containsExactly(new Event("message", "x", "1"));
        assertThat(parsed.lastEventId()).isEqualTo("1");
        assertThat(parsed.reconnectionTime()).isEmpty();
    }

    @Test
    void parserMovesTheLastEventIdOnAnIdOnlyBlockWithoutFiringAnEvent() {
        EventStreamParser parsed = EventStreamParser.parse("id: e:7\n\n");

        assertThat(parsed.events()).isEmpty();
        assertThat(parsed.lastEventId()).isEqualTo("e:7");
    }

    // --- what SseFrames encodes parses back to what went in ---

    @Test
    void eventParsesBackToItsIdTypeAndData() {
        String frame = SseFrames.event("3f9a:12", "tool.result", "{\"a\":1}");

        assertThat(frame).isEqualTo("id: 3f9a:12\nevent: tool.result\ndata: {\"a\":1}\n\n");
        EventStreamParser parsed = EventStreamParser.parse(frame);
        assertThat(parsed.events()).containsExactly(new Event("tool.result", "{\"a\":1}", "3f9a:12"));
        assertThat(parsed.lastEventId()).isEqualTo("3f9a:12");
    }

    @Test
    void eventWithoutTypeIsAMessage() {
        String frame = SseFrames.event("1", null, "x");

        assertThat(frame).doesNotContain("event:");
        assertThat(EventStreamParser.parse(frame).events()).containsExactly(new Event("message", "x", "1"));
    }

    @Test
    void eventWithoutIdLeavesTheLastEventIdUnchanged() {
        String stream = SseFrames.event("e:5", "message", "persisted")
                + SseFrames.event(null, "progress", "{\"tick\":1}");

        EventStreamParser parsed = EventStreamParser.parse(stream);

        assertThat(SseFrames.event(null, "progress", "x")).doesNotContain("id:");
        assertThat(parsed.events()).containsExactly(new Event("message", "persisted", "e:5"),
                new Event("progress", "{\"tick\":1}", "e:5"));
        assertThat(parsed.lastEventId()).isEqualTo("e:5");
    }

    @Test
    void multiLineDataBecomesOneFieldPerLine() {
        String frame = SseFrames.event(null, null, "first\nsecond\nthird");

        assertThat(frame).isEqualTo("data: first\ndata: second\ndata: third\n\n");
        assertThat(EventStreamParser.parse(frame).events()).extracting(Event::data)
            .containsExactly("first\nsecond\nthird");
    }

    @ParameterizedTest
    @MethodSource("lineBreaks")
    void everyKindOfLineBreakInDataParsesBackAsALineFeed(String data, String parsedData) {
        String frame = SseFrames.event("1", null, data);

        assertThat(frame).doesNotContain("\r");
        assertThat(EventStreamParser.parse(frame).events()).extracting(Event::data).containsExactly(parsedData);
    }

    static Stream<Arguments> lineBreaks() {
        // SSE has no way to carry a CR in data: every line break arrives as LF (as SseFrames documents).
        return Stream.of(Arguments.of("a\nb", "a\nb"), Arguments.of("a\rb", "a\nb"), Arguments.of("a\r\nb", "a\nb"),
                Arguments.of("a\n\nb", "a\n\nb"), Arguments.of("a\r\rb", "a\n\nb"), Arguments.of("a\n\rb", "a\n\nb"),
                Arguments.of("a\r\n\r\nb", "a\n\nb"), Arguments.of("a\r\n\nb\rc", "a\n\nb\nc"));
    }

    @ParameterizedTest
    @MethodSource("trailingLineBreaks")
    void dataEndingWithALineBreakKeepsIt(String data, String parsedData) {
        assertThat(EventStreamParser.parse(SseFrames.event("1", null, data)).events()).extracting(Event::data)
            .containsExactly(parsedData);
    }

    static Stream<Arguments> trailingLineBreaks() {
        return Stream.of(Arguments.of("a\n", "a\n"), Arguments.of("a\r", "a\n"), Arguments.of("a\r\n", "a\n"),
                Arguments.of("a\n\n", "a\n\n"), Arguments.of("\n", "\n"), Arguments.of("\r\n", "\n"),
                Arguments.of("\n\n", "\n\n"), Arguments.of("\na", "\na"));
    }

    @Test
    void primingEventWithEmptyDataMovesTheLastEventIdAndCarriesEmptyData() {
        // SPEC §7: a priming event is an id: and an empty data:. By the standard an empty "data:" field leaves an
        // LF in the data buffer, so a browser fires a message whose data is the empty string.
        String frame = SseFrames.event("s1:0", null, "");

        assertThat(frame).isEqualTo("id: s1:0\ndata: \n\n");
        EventStreamParser parsed = EventStreamParser.parse(frame);
        assertThat(parsed.events()).containsExactly(new Event("message", "", "s1:0"));
        assertThat(parsed.lastEventId()).isEqualTo("s1:0");
    }

    @ParameterizedTest
    @ValueSource(strings = { " leading space", "  two leading spaces", ":starts with a colon", ": colon and space",
            "a:b:c", "data: x", "id: 5", "key: value\n  indented: yes", " ", "  ", ":", "::", "\t tab", "trailing " })
    void leadingSpacesAndColonsInDataSurvive(String data) {
        String frame = SseFrames.event("1", "t", data);

        assertThat(EventStreamParser.parse(frame).events()).containsExactly(new Event("t", data, "1"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "é", "中文", "😀 \uD83D\uDE80", "\u2028line separator\u2029paragraph separator",
            "next\u0085line", "\u00A0nbsp", "\uFEFFbom inside", "{\"k\":\"ü\"}", "nul\u0000inside" })
    void unicodeDataSurvivesTheUtf8Stream(String data) {
        byte[] stream = SseFrames.event("1", "ünïcødé", data).getBytes(StandardCharsets.UTF_8);

        assertThat(EventStreamParser.parse(stream).events()).containsExactly(new Event("ünïcødé", data, "1"));
    }

    @ParameterizedTest
    @ValueSource(strings = { " leading", "e:1", "a:b:c", "ü", "" })
    void idsAndTypesWithSpacesColonsAndUnicodeSurvive(String value) {
        EventStreamParser parsed = EventStreamParser.parse(SseFrames.event("x", "t", "before")
                + SseFrames.event(value, value.isEmpty() ? null : value, "data"));

        assertThat(parsed.events()).last()
            .isEqualTo(new Event(value.isEmpty() ? "message" : value, "data", value));
        assertThat(parsed.lastEventId()).isEqualTo(value);
    }

    @Test
    void commentNeverDispatches() {
        String comment = SseFrames.comment("keepalive");

        assertThat(comment).isEqualTo(": keepalive\n\n");
        EventStreamParser parsed = EventStreamParser.parse(SseFrames.event("e:1", null, "x") + comment);
        assertThat(parsed.events()).hasSize(1);
        assertThat(parsed.lastEventId()).isEqualTo("e:1");
    }

    @ParameterizedTest
    @ValueSource(strings = { "first\nsecond", "a\rb\r\nc", "data: looks like data\nid: 99\nretry: 1",
            "\ndata: x\n", "", "x\n" })
    void multiLineCommentNeverDispatchesNorMovesTheResumePoint(String text) {
        String comment = SseFrames.comment(text);

        assertThat(comment.split("\n", -1)).allSatisfy((line) -> assertThat(line).matches("(:.*)?"));
        EventStreamParser parsed = EventStreamParser.parse(SseFrames.event("e:1", null, "x") + comment
                + SseFrames.event(null, "after", "y"));
        assertThat(parsed.events()).containsExactly(new Event("message", "x", "e:1"), new Event("after", "y", "e:1"));
        assertThat(parsed.lastEventId()).isEqualTo("e:1");
        assertThat(parsed.reconnectionTime()).isEmpty();
    }

    @Test
    void retrySetsTheReconnectionTime() {
        String frame = SseFrames.retry(Duration.ofSeconds(3));

        assertThat(frame).isEqualTo("retry: 3000\n\n");
        EventStreamParser parsed = EventStreamParser.parse(frame);
        assertThat(parsed.reconnectionTime()).hasValue(3000);
        assertThat(parsed.events()).isEmpty();
        assertThat(EventStreamParser.parse(SseFrames.retry(Duration.ofMillis(1500))).reconnectionTime()).hasValue(1500);
        assertThat(EventStreamParser.parse(SseFrames.retry(Duration.ZERO)).reconnectionTime()).hasValue(0);
    }

    @Test
    void negativeRetryIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> SseFrames.retry(Duration.ofMillis(-1)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "a\nb", "a\rb", "a\r\nb", "\n", "\r", "trailing\n", "\rleading" })
    void idWithALineBreakIsRefused(String id) {
        assertThatIllegalArgumentException().isThrownBy(() -> SseFrames.event(id, "t", "x"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "a\nb", "a\rb", "a\r\nb", "\n", "\r", "message\n", "\rmessage" })
    void eventNameWithALineBreakIsRefused(String type) {
        assertThatIllegalArgumentException().isThrownBy(() -> SseFrames.event("1", type, "x"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "\u0000", "a\u0000b", "e:1\u0000" })
    void idWithNulIsRefused(String id) {
        assertThatIllegalArgumentException().isThrownBy(() -> SseFrames.event(id, "t", "x"));
    }

    @Test
    void severalFramesConcatenatedParseAsSeveralEvents() {
        String stream = SseFrames.retry(Duration.ofSeconds(3)) + SseFrames.event("ep:0", null, "")
                + SseFrames.event("ep:1", "message", "{\"seq\":1}") + SseFrames.comment("keepalive")
                + SseFrames.event(null, "progress", "{\"p\":0.5}") + SseFrames.event("ep:2", "message", "two\nlines")
                + SseFrames.event("ep:4", "reset", "{\"reason\":\"retention\"}")
                + SseFrames.event(null, "session.closed", "{\"reason\":\"deleted\"}");

        EventStreamParser parsed = EventStreamParser.parse(stream.getBytes(StandardCharsets.UTF_8));

        assertThat(parsed.reconnectionTime()).hasValue(3000);
        assertThat(parsed.events()).containsExactly(new Event("message", "", "ep:0"),
                new Event("message", "{\"seq\":1}", "ep:1"), new Event("progress", "{\"p\":0.5}", "ep:1"),
                new Event("message", "two\nlines", "ep:2"), new Event("reset", "{\"reason\":\"retention\"}", "ep:4"),
                new Event("session.closed", "{\"reason\":\"deleted\"}", "ep:4"));
        assertThat(parsed.lastEventId()).isEqualTo("ep:4");
    }

    @Test
    void everyFrameEndsWithABlankLineAndUsesOnlyLineFeeds() {
        List<String> frames = List.of(SseFrames.event("1", "t", "a\r\nb\rc"), SseFrames.event(null, null, ""),
                SseFrames.comment("x\r\ny"), SseFrames.retry(Duration.ofSeconds(1)));

        assertThat(frames).allSatisfy((frame) -> {
            assertThat(frame).endsWith("\n\n").doesNotContain("\r");
            assertThat(frame.substring(0, frame.length() - 1)).doesNotContain("\n\n");
        });
    }

    @Test
    void randomDataRoundTripsWithLineBreaksNormalizedToLineFeeds() {
        Random random = new Random(20251125L);
        String alphabet = "ab :\r\n\t\u0000é😀\uFEFF\u2028";
        StringBuilder stream = new StringBuilder();
        List<String> expected = new java.util.ArrayList<>();
        for (int n = 0; n < 500; n++) {
            StringBuilder data = new StringBuilder();
            int length = random.nextInt(12);
            for (int i = 0; i < length; i++) {
                int at = alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0, alphabet.length())));
                data.appendCodePoint(alphabet.codePointAt(at));
            }
            stream.append(SseFrames.event("id" + n, "t" + n, data.toString()));
            expected.add(data.toString().replace("\r\n", "\n").replace('\r', '\n'));
        }

        EventStreamParser parsed = EventStreamParser.parse(stream.toString().getBytes(StandardCharsets.UTF_8));

        assertThat(parsed.events()).hasSize(500);
        for (int n = 0; n < 500; n++) {
            assertThat(parsed.events().get(n)).isEqualTo(new Event("t" + n, expected.get(n), "id" + n));
        }
    }

}
