package io.mcpsession.store;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.McpSessionException;
import io.mcpsession.core.NewEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class StoreSettingsTests {

    private final StoreSettings settings = StoreSettings.defaults();

    @Test
    void defaultsAreTheContracts() {
        assertThat(this.settings.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(this.settings.maxSessions()).isEqualTo(100_000);
        assertThat(this.settings.maxEventsPerSession()).isEqualTo(10_000);
        assertThat(this.settings.eventTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(this.settings.overflow()).isEqualTo(OverflowPolicy.EVICT_OLDEST);
        assertThat(this.settings.maxEventBytes()).isEqualTo(1024 * 1024);
        assertThat(this.settings.feedEnabled()).isTrue();
        assertThat(this.settings.feedMaxEntries()).isEqualTo(1_000_000);
        assertThat(this.settings.feedTtl()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void withersChangeOnlyTheirOwnSettings() {
        StoreSettings changed = this.settings.withTimeout(Duration.ofMinutes(5))
            .withMaxSessions(7)
            .withEvents(3, Duration.ofMinutes(1), OverflowPolicy.REJECT)
            .withMaxEventBytes(99)
            .withFeed(false, 11, Duration.ofMinutes(2));

        assertThat(changed).isEqualTo(new StoreSettings(Duration.ofMinutes(5), 7, 3, Duration.ofMinutes(1),
                OverflowPolicy.REJECT, 99, false, 11, Duration.ofMinutes(2)));
        assertThat(this.settings.withMaxEventBytes(99)).isEqualTo(new StoreSettings(Duration.ofMinutes(30), 100_000,
                10_000, Duration.ofHours(2), OverflowPolicy.EVICT_OLDEST, 99, true, 1_000_000, Duration.ofHours(24)));
    }

    @Test
    void nonPositiveSettingsAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> this.settings.withTimeout(Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> this.settings.withTimeout(Duration.ofSeconds(-1)));
        assertThatIllegalArgumentException().isThrownBy(() -> this.settings.withMaxSessions(0));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> this.settings.withEvents(0, Duration.ofHours(1), OverflowPolicy.REJECT));
        assertThatIllegalArgumentException()
            .isThrownBy(() -> this.settings.withEvents(1, Duration.ZERO, OverflowPolicy.REJECT));
        assertThatIllegalArgumentException().isThrownBy(() -> this.settings.withMaxEventBytes(0));
        assertThatIllegalArgumentException().isThrownBy(() -> this.settings.withFeed(true, 0, Duration.ofHours(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> this.settings.withFeed(true, 1, Duration.ZERO));
    }

    // --- event bounds ---

    @Test
    void eventIdTypeAndRunIdOf1To256CharactersAreAccepted() {
        for (String name : new String[] { "a", "x".repeat(256), "é".repeat(256), "with spaces", "ü:ñ/😀" }) {
            NewEvent checked = this.settings.checkEvent(new NewEvent(name, name, "1", name, null, false));

            assertThat(checked.id()).isEqualTo(name);
            assertThat(checked.type()).isEqualTo(name);
            assertThat(checked.runId()).isEqualTo(name);
        }
    }

    @Test
    void emptyOrOverlongEventIdIsInvalid() {
        assertInvalidRequest(() -> this.settings.checkEvent(new NewEvent("", "t", "1", null, null, false)));
        assertInvalidRequest(() -> this.settings.checkEvent(new NewEvent("x".repeat(257), "t", "1", null, null, false)));
    }

    @Test
    void emptyOrOverlongEventTypeIsInvalid() {
        assertInvalidRequest(() -> this.settings.checkEvent(NewEvent.of("", "1")));
        assertInvalidRequest(() -> this.settings.checkEvent(NewEvent.of("x".repeat(257), "1")));
    }

    @Test
    void emptyOrOverlongRunIdIsInvalid() {
        assertInvalidRequest(() -> this.settings.checkEvent(new NewEvent(null, "t", "1", "", null, false)));
        assertInvalidRequest(() -> this.settings.checkEvent(new NewEvent(null, "t", "1", "r".repeat(257), null, false)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "a\nb", "a\rb", "a\r\nb", "message\n" })
    void eventTypeThatCannotBeAnSseEventNameIsInvalid(String type) {
        // The type is written as the SSE "event:" field (SPEC §6), and SseFrames refuses line breaks there: an event
        // accepted with such a type could never be streamed.
        assertInvalidRequest(() -> this.settings.checkEvent(NewEvent.of(type, "1")));
    }

    @Test
    void checkedEventHasItsDefaultsAppliedAndItsJsonCompacted() {
        NewEvent checked = this.settings
            .checkEvent(new NewEvent(null, null, " { \"n\" : 1.10 , \"s\" : \" x \" } ", null, " { \"k\" : 1e5 } ", true));

        assertThat(checked.id()).isNull();
        assertThat(checked.type()).isEqualTo("message");
        assertThat(checked.data()).isEqualTo("{\"n\":1.10,\"s\":\" x \"}");
        assertThat(checked.runId()).isNull();
        assertThat(checked.metadata()).isEqualTo("{\"k\":1e5}");
        assertThat(checked.ephemeral()).isTrue();
        assertThat(this.settings.checkEvent(NewEvent.of("t", "null")).metadataOrEmpty()).isEqualTo("{}");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "{", "{} x", "undefined", "'x'" })
    void malformedEventDataIsInvalid(String data) {
        assertInvalidRequest(() -> this.settings.checkEvent(NewEvent.of("t", data)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "[]", "1", "null", "\"{}\"", "{" })
    void eventMetadataMustBeAJsonObject(String metadata) {
        assertInvalidRequest(() -> this.settings.checkEvent(new NewEvent(null, "t", "1", null, metadata, false)));
    }

    @Test
    void payloadSizeIsTheUtf8BytesOfDataPlusMetadata() {
        // "é" and "😀" are 2 and 4 bytes in UTF-8 but 1 and 2 chars in Java: the bound is on bytes
        String data = "\"éé😀\""; // 2 + 4 + 4 = 10 bytes, 6 chars
        String metadata = "{\"k\":\"é\"}"; // 10 bytes, 9 chars
        assertThat(data.getBytes(StandardCharsets.UTF_8)).hasSize(10);
        assertThat(metadata.getBytes(StandardCharsets.UTF_8)).hasSize(10);

        assertThat(this.settings.withMaxEventBytes(20).checkEvent(event(data, metadata)).data()).isEqualTo(data);
        assertPayloadTooLarge(() -> this.settings.withMaxEventBytes(19).checkEvent(event(data, metadata)));
        assertPayloadTooLarge(() -> this.settings.withMaxEventBytes(16).checkEvent(event(data, metadata)));
    }

    @Test
    void payloadSizeCountsDataAndMetadataTogether() {
        StoreSettings small = this.settings.withMaxEventBytes(12);

        assertThat(small.checkEvent(event("1234567890", "{}")).data()).isEqualTo("1234567890");
        assertPayloadTooLarge(() -> small.checkEvent(event("1234567890", "{\"a\":1}")));
        assertThat(small.checkEvent(event("1", "{\"k\":\"123\"}")).metadata()).isEqualTo("{\"k\":\"123\"}");
        assertPayloadTooLarge(() -> small.checkEvent(event("12", "{\"k\":\"123\"}")));
    }

    @Test
    void payloadSizeIsMeasuredOnTheStoredCompactJson() {
        StoreSettings small = this.settings.withMaxEventBytes(10);

        assertThat(small.checkEvent(event("   [ 1 , 2 , 3 ]   ", "  {  }  ")).data()).isEqualTo("[1,2,3]");
    }

    @Test
    void defaultMaxEventBytesIsOneMebibyte() {
        String metadata = "{}";
        String exactly = "\"" + "x".repeat(1024 * 1024 - 2 - metadata.length()) + "\"";

        assertThat(this.settings.checkEvent(event(exactly, metadata)).data()).hasSize(1024 * 1024 - 2);
        assertPayloadTooLarge(() -> this.settings.checkEvent(event("\"x" + exactly.substring(1), metadata)));
    }

    // --- state bounds ---

    @Test
    void stateKeyOf1To256CharactersIsAccepted() {
        assertThat(this.settings.checkState("k", "1")).isEqualTo("1");
        assertThat(this.settings.checkState("k".repeat(256), "true")).isEqualTo("true");
        assertThat(this.settings.checkState("ü".repeat(256), "null")).isEqualTo("null");
    }

    @Test
    void emptyOrOverlongStateKeyIsInvalid() {
        assertInvalidRequest(() -> this.settings.checkState("", "1"));
        assertInvalidRequest(() -> this.settings.checkState("k".repeat(257), "1"));
    }

    @Test
    void stateValueIsCompactedVerbatim() {
        assertThat(this.settings.checkState("k", " { \"b\" : 1.10 , \"a\" : \"\\u00e9 \" } "))
            .isEqualTo("{\"b\":1.10,\"a\":\"\\u00e9 \"}");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "{", "1 2", "nope" })
    void malformedStateValueIsInvalid(String value) {
        assertInvalidRequest(() -> this.settings.checkState("k", value));
    }

    @Test
    void stateValueSizeIsBoundedInUtf8Bytes() {
        String value = "\"😀😀\""; // 10 bytes, 6 chars

        assertThat(this.settings.withMaxEventBytes(10).checkState("k", value)).isEqualTo(value);
        assertPayloadTooLarge(() -> this.settings.withMaxEventBytes(9).checkState("k", value));
        assertThat(this.settings.withMaxEventBytes(3).checkState("k", "  [ 1 ]  ")).isEqualTo("[1]");
    }

    private static NewEvent event(String data, String metadata) {
        return new NewEvent(null, "t", data, null, metadata, false);
    }

    private static void assertInvalidRequest(ThrowingCallable call) {
        assertError(call, ErrorCode.INVALID_REQUEST);
    }

    private static void assertPayloadTooLarge(ThrowingCallable call) {
        assertError(call, ErrorCode.PAYLOAD_TOO_LARGE);
    }

    private static void assertError(ThrowingCallable call, ErrorCode code) {
        assertThatExceptionOfType(McpSessionException.class).isThrownBy(call)
            .extracting(McpSessionException::code)
            .isEqualTo(code);
    }

}
