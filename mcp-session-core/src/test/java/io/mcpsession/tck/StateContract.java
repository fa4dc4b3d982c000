package io.mcpsession.tck;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.Session;
import io.mcpsession.store.SessionStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session's typed key-value state (SPEC §2 state, §6 state).
 */
public abstract class StateContract extends ContractSupport {

    protected StateContract(StoreFactory factory) {
        super(factory);
    }

    @Test
    void putThenGetReturnsValue() {
        SessionStore store = newStore();
        Session session = newSession(store);

        store.putState(session.id(), "counter", "42");

        assertThat(store.getState(session.id(), "counter")).contains("42");
    }

    @Test
    void getOfMissingKeyIsEmpty() {
        SessionStore store = newStore();
        Session session = newSession(store);

        assertThat(store.getState(session.id(), "missing")).isEmpty();
        assertThat(store.getAllState(session.id())).isEmpty();
    }

    @Test
    void putOverwritesValue() {
        SessionStore store = newStore();
        Session session = newSession(store);

        store.putState(session.id(), "k", json("{'v':1}"));
        store.putState(session.id(), "k", json("'second'"));

        assertThat(store.getState(session.id(), "k")).contains("\"second\"");
        assertThat(store.getAllState(session.id())).containsOnlyKeys("k");
    }

    @Test
    void getAllReturnsEveryKey() {
        SessionStore store = newStore();
        Session session = newSession(store);
        store.putState(session.id(), "a", "1");
        store.putState(session.id(), "b", json("{'x':[true,null]}"));
        store.putState(session.id(), "c", json("'text'"));

        assertThat(store.getAllState(session.id())).containsExactlyInAnyOrderEntriesOf(
                Map.of("a", "1", "b", json("{'x':[true,null]}"), "c", "\"text\""));
    }

    @Test
    void removeDeletesKeyAndReportsWhetherItExisted() {
        SessionStore store = newStore();
        Session session = newSession(store);
        store.putState(session.id(), "a", "1");
        store.putState(session.id(), "b", "2");

        assertThat(store.removeState(session.id(), "a")).isTrue();
        assertThat(store.removeState(session.id(), "a")).isFalse();
        assertThat(store.removeState(session.id(), "never")).isFalse();
        assertThat(store.getState(session.id(), "a")).isEmpty();
        assertThat(store.getAllState(session.id())).containsExactlyInAnyOrderEntriesOf(Map.of("b", "2"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"b\":1,\"a\":[1.10,12345678901234567890,\"\u00e9\\u00e9\"]}", "1.10", "1e5", "-0.0",
            "12345678901234567890123", "\"\\ud83d\\ude00 \ud83d\ude00\"", "null", "true", "[]", "{}",
            "{\"z\":{\"y\":0.1000,\"x\":[]},\"a\":\"\\\"quoted\\\"\"}" })
    void valuesRoundTripVerbatim(String value) {
        SessionStore store = newStore();
        Session session = newSession(store);

        store.putState(session.id(), "k", value);

        assertThat(store.getState(session.id(), "k")).contains(value);
        assertThat(store.getAllState(session.id())).containsEntry("k", value);
    }

    @Test
    void keysAreIndependentOfEachOther() {
        SessionStore store = newStore();
        Session first = newSession(store);
        Session second = newSession(store);

        store.putState(first.id(), "k", "1");
        store.putState(second.id(), "k", "2");

        assertThat(store.getState(first.id(), "k")).contains("1");
        assertThat(store.getState(second.id(), "k")).contains("2");
    }

    @Test
    void unknownSessionFailsWithSessionNotFound() {
        SessionStore store = newStore();

        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.getState("unknown", "k"));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.getAllState("unknown"));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.putState("unknown", "k", "1"));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.removeState("unknown", "k"));
    }

    @Test
    void deletedSessionFailsWithSessionNotFound() {
        SessionStore store = newStore();
        Session session = newSession(store);
        store.putState(session.id(), "k", "1");
        store.delete(session.id());

        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.getState(session.id(), "k"));
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.putState(session.id(), "k", "2"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "{", "{'a':1}", "1 2", "[1,]", "undefined", "nul" })
    void malformedValueFailsWithInvalidRequest(String value) {
        SessionStore store = newStore();
        Session session = newSession(store);

        assertCode(ErrorCode.INVALID_REQUEST, () -> store.putState(session.id(), "k", value));
        assertThat(store.getState(session.id(), "k")).isEmpty();
    }

    @Test
    void concurrentWritesToDifferentKeysLoseNothing() {
        SessionStore store = newStore();
        Session session = newSession(store);
        int threads = 8;
        int keysPerThread = 25;

        runConcurrently(threads, (thread) -> {
            for (int i = 0; i < keysPerThread; i++) {
                store.putState(session.id(), "t" + thread + "-k" + i, "{\"t\":" + thread + ",\"i\":" + i + "}");
            }
            return null;
        });

        Map<String, String> expected = new HashMap<>();
        for (int thread = 0; thread < threads; thread++) {
            for (int i = 0; i < keysPerThread; i++) {
                expected.put("t" + thread + "-k" + i, "{\"t\":" + thread + ",\"i\":" + i + "}");
            }
        }
        assertThat(store.getAllState(session.id())).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    void concurrentWritesAndRemovesOfOtherKeysLoseNothing() {
        SessionStore store = newStore();
        Session session = newSession(store);
        for (int i = 0; i < 50; i++) {
            store.putState(session.id(), "doomed" + i, "0");
        }

        runConcurrently(8, (thread) -> {
            for (int i = 0; i < 50; i++) {
                if (thread == 0) {
                    store.removeState(session.id(), "doomed" + i);
                }
                else {
                    store.putState(session.id(), "t" + thread + "-" + i, Integer.toString(i));
                }
            }
            return null;
        });

        Map<String, String> state = store.getAllState(session.id());
        assertThat(state).hasSize(7 * 50);
        assertThat(state.keySet()).noneMatch((key) -> key.startsWith("doomed"));
    }

}
