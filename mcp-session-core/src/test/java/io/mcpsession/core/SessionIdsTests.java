package io.mcpsession.core;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SessionIdsTests {

    private static final String UUID_V7 = "[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    private static final Instant NOW = Instant.parse("2025-11-25T10:15:30.123456789Z");

    @ParameterizedTest
    @ValueSource(strings = { "a", "Z", "0", "!", "~", "...", ".a", "a.", ".hidden", "feed2", "feeds", "FEED",
            "Feed", "my-session_1", "user@example.com", "a:b", "a=b&c", "[x]", "{x}", "\"quoted\"", "'single'",
            "0190a5c2-7b1e-7cde-8f00-123456789abc", "events", "state", "stream" })
    void visibleAsciiIdsAreAccepted(String id) {
        assertThat(SessionIds.requireValid(id)).isEqualTo(id);
    }

    @Test
    void everyVisibleAsciiCharacterExceptTheSixForbiddenOnesIsAccepted() {
        StringBuilder all = new StringBuilder();
        for (char c = 0x21; c <= 0x7E; c++) {
            if ("/\\;%?#".indexOf(c) < 0) {
                all.append(c);
            }
        }

        assertThat(all).hasSize(94 - 6);
        assertThat(SessionIds.requireValid(all.toString())).isEqualTo(all.toString());
    }

    @Test
    void idsHaveOneTo128Characters() {
        assertThat(SessionIds.requireValid("x".repeat(128))).hasSize(128);
        assertThat(SessionIds.MAX_LENGTH).isEqualTo(128);
        assertInvalidSessionId(() -> SessionIds.requireValid("x".repeat(129)));
        assertInvalidSessionId(() -> SessionIds.requireValid(""));
    }

    @ParameterizedTest
    @ValueSource(strings = { "/", "\\", ";", "%", "?", "#" })
    void eachForbiddenCharacterIsRejectedWherever(String forbidden) {
        assertInvalidSessionId(() -> SessionIds.requireValid(forbidden));
        assertInvalidSessionId(() -> SessionIds.requireValid(forbidden + "abc"));
        assertInvalidSessionId(() -> SessionIds.requireValid("ab" + forbidden + "c"));
        assertInvalidSessionId(() -> SessionIds.requireValid("abc" + forbidden));
    }

    @ParameterizedTest
    @ValueSource(strings = { " ", "a b", " a", "a ", "a\tb", "a\nb", "a\rb", "\u0000", "a\u0000", "\u001F", "\u007F",
            "a\u007F", "\u0080", "é", "café", "😀", "\u00A0", "\u2028", "\uFEFFa", "ａ" })
    void charactersOutsideVisibleAsciiAreRejected(String id) {
        assertInvalidSessionId(() -> SessionIds.requireValid(id));
    }

    @ParameterizedTest
    @ValueSource(strings = { ".", "..", "feed", "console" })
    void reservedPathSegmentsAreRejected(String id) {
        assertInvalidSessionId(() -> SessionIds.requireValid(id));
    }

    @Test
    void newSessionRequestsCheckTheCallersId() {
        assertInvalidSessionId(() -> NewSession.withId("a/b").checked());
        assertInvalidSessionId(() -> NewSession.withId("feed").checked());
        assertInvalidSessionId(() -> NewSession.withId("").checked());
        assertThat(NewSession.withId("mine").checked().id()).isEqualTo("mine");
        assertThat(NewSession.anonymous().checked().id()).isNull();
    }

    @Test
    void generatedIdsAreCanonicalUuidV7Strings() {
        for (int i = 0; i < 100; i++) {
            String id = SessionIds.generate(NOW);

            assertThat(id).matches(UUID_V7);
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(7);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
            assertThat(SessionIds.requireValid(id)).isEqualTo(id);
        }
    }

    @Test
    void generatedIdsAreDistinctEvenWithinOneMillisecond() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(SessionIds.generate(NOW));
        }

        assertThat(ids).hasSize(10_000);
    }

    @Test
    void timestampOfReturnsTheCreationMillisecond() {
        for (Instant instant : new Instant[] { NOW, Instant.EPOCH, Instant.parse("1999-12-31T23:59:59.999Z"),
                Instant.ofEpochMilli((1L << 48) - 1), Instant.parse("2038-01-19T03:14:08Z") }) {
            String id = SessionIds.generate(instant);

            assertThat(SessionIds.timestampOf(id)).hasValue(instant.truncatedTo(ChronoUnit.MILLIS));
        }
    }

    @Test
    void generatedIdsSortByCreationTime() {
        List<String> ids = new ArrayList<>();
        Instant instant = NOW;
        for (int i = 0; i < 200; i++) {
            ids.add(SessionIds.generate(instant));
            instant = instant.plusMillis(1 + (i % 7) * 997L);
        }

        assertThat(ids).isSorted();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "abc", "feed", "0190A5C2-7B1E-7CDE-8F00-123456789ABC",
            "0190a5c2-7b1e-4cde-8f00-123456789abc", "0190a5c27b1e7cde8f00123456789abc",
            "0190a5c2-7b1e-7cde-8f00-123456789abcd", "0190a5c2-7b1e-7cde-8f00-123456789ab",
            "0190a5c2-7b1e-7cde-8f00_123456789abc", "zzzzzzzz-zzzz-7zzz-zzzz-zzzzzzzzzzzz",
            "1-1-1-1-1000000000000000000000000000" })
    void timestampOfIsEmptyForAnythingButAGeneratedId(String id) {
        assertThat(SessionIds.timestampOf(id)).isEmpty();
    }

    @Test
    void timestampOfReadsTheFirst48BitsOfAUuidV7() {
        assertThat(SessionIds.timestampOf("0190a5c2-7b1e-7cde-8f00-123456789abc"))
            .hasValue(Instant.ofEpochMilli(0x0190a5c27b1eL));
    }

    private static void assertInvalidSessionId(ThrowingCallable call) {
        assertThatExceptionOfType(McpSessionException.class).isThrownBy(call)
            .extracting(McpSessionException::code)
            .isEqualTo(ErrorCode.INVALID_SESSION_ID);
    }

}
