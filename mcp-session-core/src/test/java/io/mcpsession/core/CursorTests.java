package io.mcpsession.core;

import java.util.HashSet;
import java.util.Set;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CursorTests {

    @Test
    void tokenOfACursorWithAnEpochIsEpochColonSeq() {
        assertThat(Cursor.of("a1b2", 42).token()).isEqualTo("a1b2:42");
        assertThat(Cursor.of("a1b2", 0).token()).isEqualTo("a1b2:0");
    }

    @Test
    void tokenOfACursorWithoutAnEpochIsTheBareSeq() {
        assertThat(Cursor.of(null, 42).token()).isEqualTo("42");
        assertThat(Cursor.of(null, 0).token()).isEqualTo("0");
    }

    @Test
    void bareSeqMeansTheCurrentEpoch() {
        assertThat(Cursor.parse("17")).isEqualTo(new Cursor(null, 17));
        assertThat(Cursor.parse("0")).isEqualTo(new Cursor(null, 0));
    }

    @Test
    void epochColonSeqParsesToBoth() {
        assertThat(Cursor.parse("Ep_och-9:17")).isEqualTo(new Cursor("Ep_och-9", 17));
    }

    @Test
    void tokensRoundTrip() {
        String epoch = Epochs.next();
        for (Cursor cursor : new Cursor[] { Cursor.of(epoch, 0), Cursor.of(epoch, 1), Cursor.of(null, 5),
                Cursor.of("x".repeat(64), Long.MAX_VALUE), Cursor.of(null, Long.MAX_VALUE), Cursor.of("_", 9) }) {
            assertThat(Cursor.parse(cursor.token())).isEqualTo(cursor);
        }
    }

    @Test
    void largestSeqIsLongMaxValue() {
        assertThat(Cursor.parse("9223372036854775807").seq()).isEqualTo(Long.MAX_VALUE);
        assertInvalidCursor(() -> Cursor.parse("9223372036854775808"));
        assertInvalidCursor(() -> Cursor.parse("e:9223372036854775808"));
        assertInvalidCursor(() -> Cursor.parse("99999999999999999999"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", ":", ":5", "e:", "e:-1", "-1", "+1", "1.0", "1e3", " 1", "1 ", "e :1", "e: 1",
            "e:1:2", "e f:1", "é:1", "e/1:1", "e.1:1", "e:١", "١", "0x10", "abc", "e:abc", "e;1", "\n1", "1\n",
            "e:1\u0000" })
    void malformedTokensAreInvalidCursors(String token) {
        assertInvalidCursor(() -> Cursor.parse(token));
    }

    @Test
    void epochsAreOneToSixtyFourTokenSafeCharacters() {
        assertThat(Cursor.parse("a".repeat(64) + ":1").epoch()).hasSize(64);
        assertInvalidCursor(() -> Cursor.parse("a".repeat(65) + ":1"));
        assertInvalidCursor(() -> Cursor.of("a".repeat(65), 1));
        assertInvalidCursor(() -> Cursor.of("", 1));
        assertInvalidCursor(() -> Cursor.of("a:b", 1));
        assertThat(Epochs.isWellFormed("AZaz09_-")).isTrue();
        assertThat(Epochs.isWellFormed("a b")).isFalse();
        assertThat(Epochs.isWellFormed("a\n")).isFalse();
    }

    @Test
    void overlongTokensAreInvalidCursors() {
        assertInvalidCursor(() -> Cursor.parse("1".repeat(129)));
        assertInvalidCursor(() -> Cursor.parse("a".repeat(127) + ":1"));
    }

    @Test
    void negativeSeqIsAnInvalidCursor() {
        assertInvalidCursor(() -> Cursor.of(null, -1));
        assertInvalidCursor(() -> Cursor.of("e", Long.MIN_VALUE));
    }

    @Test
    void parseSeqAcceptsNonNegativeDecimalNumbersOnly() {
        assertThat(Cursor.parseSeq("0")).isZero();
        assertThat(Cursor.parseSeq("123")).isEqualTo(123);
        assertThat(Cursor.parseSeq("007")).isEqualTo(7);
        for (String text : new String[] { "", "-1", "+1", "1.5", " 1", "a", "١", "12345678901234567890" }) {
            assertInvalidCursor(() -> Cursor.parseSeq(text));
        }
    }

    @Test
    void queriesRejectNegativeCursorsAndMalformedEpochs() {
        assertInvalidCursor(() -> EventQuery.after(-1));
        assertInvalidCursor(() -> EventQuery.after(0).withEpoch("not an epoch"));
        assertInvalidCursor(() -> FeedQuery.after(-1));
        assertInvalidCursor(() -> FeedQuery.after(0).withEpoch("a:b"));
        assertThat(EventQuery.after(Cursor.parse("ep:3"))).satisfies((query) -> {
            assertThat(query.after()).isEqualTo(3);
            assertThat(query.epoch()).isEqualTo("ep");
        });
    }

    @Test
    void generatedEpochsAreWellFormedAndDistinct() {
        Set<String> epochs = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String epoch = Epochs.next();
            assertThat(Epochs.isWellFormed(epoch)).isTrue();
            epochs.add(epoch);
        }
        assertThat(epochs).hasSize(1000);
    }

    private static void assertInvalidCursor(ThrowingCallable call) {
        assertThatExceptionOfType(McpSessionException.class).isThrownBy(call)
            .extracting(McpSessionException::code)
            .isEqualTo(ErrorCode.INVALID_CURSOR);
    }

}
