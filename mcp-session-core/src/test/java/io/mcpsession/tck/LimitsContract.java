package io.mcpsession.tck;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.NewEvent;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Limits and bad input (SPEC §2 bounds, §3.9, §8): nothing fails by silently dropping or truncating data.
 */
public abstract class LimitsContract extends ContractSupport {

    protected LimitsContract(StoreFactory factory) {
        super(factory);
    }

    @Test
    void maxSessionsIsEnforced() {
        SessionStore store = newStore(StoreSettings.defaults().withMaxSessions(3));
        newSession(store, "s1");
        newSession(store, "s2");
        newSession(store, "s3");

        assertCode(ErrorCode.MAX_SESSIONS_REACHED, () -> newSession(store, "s4"));
        assertCode(ErrorCode.MAX_SESSIONS_REACHED, () -> newSession(store));
        assertThat(store.find("s4")).isEmpty();
        store.delete("s1");
        assertThat(newSession(store, "s4").id()).isEqualTo("s4");
    }

    @Test
    void expiredSessionsDoNotCountAgainstMaxSessions() {
        SessionStore store = newStore(StoreSettings.defaults().withMaxSessions(2).withTimeout(Duration.ofMinutes(5)));
        newSession(store, "old1");
        newSession(store, "old2");
        this.clock.advance(Duration.ofMinutes(6));

        assertThat(newSession(store, "new1").id()).isEqualTo("new1");
    }

    @Test
    void eventOverMaxEventBytesFailsAndStoresNothing() {
        SessionStore store = newStore(StoreSettings.defaults().withMaxEventBytes(100));
        Session session = newSession(store);
        String data = "\"" + "d".repeat(58) + "\"";
        String metadata = "{\"m\":\"" + "m".repeat(33) + "\"}";

        assertThat(data.length() + metadata.length()).isEqualTo(101);
        assertCode(ErrorCode.PAYLOAD_TOO_LARGE,
                () -> store.append(session.id(), new NewEvent(null, null, data, null, metadata, false)));
        assertThat(store.position(session.id()).latest()).isZero();
        String fits = "\"" + "d".repeat(57) + "\"";
        assertThat(append(store, session.id(), new NewEvent(null, null, fits, null, metadata, false)).data())
            .isEqualTo(fits);
    }

    @Test
    void eventBytesAreCountedInUtf8() {
        SessionStore store = newStore(StoreSettings.defaults().withMaxEventBytes(60));
        Session session = newSession(store);
        String accented = "\"" + "\u00e9".repeat(30) + "\"";
        String emoji = "\"" + "\ud83d\ude00".repeat(15) + "\"";

        assertCode(ErrorCode.PAYLOAD_TOO_LARGE, () -> store.append(session.id(), NewEvent.of("message", accented)));
        assertCode(ErrorCode.PAYLOAD_TOO_LARGE, () -> store.append(session.id(), NewEvent.of("message", emoji)));
        assertThat(store.position(session.id()).latest()).isZero();
        String fits = "\"" + "\u00e9".repeat(10) + "\"";
        assertThat(append(store, session.id(), fits).data()).isEqualTo(fits);
    }

    @Test
    void stateValueOverMaxEventBytesFails() {
        SessionStore store = newStore(StoreSettings.defaults().withMaxEventBytes(50));
        Session session = newSession(store);

        assertCode(ErrorCode.PAYLOAD_TOO_LARGE,
                () -> store.putState(session.id(), "k", "\"" + "v".repeat(49) + "\""));
        assertThat(store.getState(session.id(), "k")).isEmpty();
        store.putState(session.id(), "k", "\"" + "v".repeat(48) + "\"");
        assertThat(store.getState(session.id(), "k")).contains("\"" + "v".repeat(48) + "\"");
    }

    @Test
    void ephemeralEventOverMaxEventBytesFails() {
        SessionStore store = newStore(StoreSettings.defaults().withMaxEventBytes(50));
        Session session = newSession(store);

        assertCode(ErrorCode.PAYLOAD_TOO_LARGE, () -> store.publishEphemeral(session.id(),
                new NewEvent(null, "tick", "\"" + "x".repeat(60) + "\"", null, null, true)));
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 257 })
    void namesOutOfBoundsFailWithInvalidRequest(int length) {
        SessionStore store = newStore();
        Session session = newSession(store);
        String name = "n".repeat(length);

        assertCode(ErrorCode.INVALID_REQUEST,
                () -> store.append(session.id(), new NewEvent(name, "message", "1", null, null, false)));
        assertCode(ErrorCode.INVALID_REQUEST,
                () -> store.append(session.id(), new NewEvent(null, name, "1", null, null, false)));
        assertCode(ErrorCode.INVALID_REQUEST,
                () -> store.append(session.id(), new NewEvent(null, "message", "1", name, null, false)));
        assertCode(ErrorCode.INVALID_REQUEST, () -> store.putState(session.id(), name, "1"));
        assertCode(ErrorCode.INVALID_REQUEST, () -> store.getState(session.id(), name));
        assertCode(ErrorCode.INVALID_REQUEST,
                () -> store.publishEphemeral(session.id(), new NewEvent(null, name, "1", null, null, true)));
        assertThat(store.position(session.id()).latest()).isZero();
        assertThat(store.getAllState(session.id())).isEmpty();
    }

    @Test
    void namesOf256CharactersAreAccepted() {
        SessionStore store = newStore();
        Session session = newSession(store);
        String name = "n".repeat(256);

        var event = append(store, session.id(), new NewEvent(name, name, "1", name, null, false));
        store.putState(session.id(), name, "1");

        assertThat(event.id()).isEqualTo(name);
        assertThat(event.type()).isEqualTo(name);
        assertThat(event.runId()).isEqualTo(name);
        assertThat(store.getState(session.id(), name)).contains("1");
    }

    @ParameterizedTest
    @ValueSource(strings = { "line\nbreak", "carriage\rreturn", "nul\u0000", "tab\t" })
    void namesWithControlCharactersFailWithInvalidRequest(String name) {
        SessionStore store = newStore();
        Session session = newSession(store);

        assertCode(ErrorCode.INVALID_REQUEST,
                () -> store.append(session.id(), new NewEvent(null, name, "1", null, null, false)));
        assertCode(ErrorCode.INVALID_REQUEST,
                () -> store.append(session.id(), new NewEvent(name, "message", "1", null, null, false)));
        assertCode(ErrorCode.INVALID_REQUEST, () -> store.putState(session.id(), name, "1"));
        assertThat(store.position(session.id()).latest()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "{", "{\"a\":}", "{'a':1}", "[1,]", "1 2", "{}{}", "NaN", "tru", "\"open" })
    void malformedDataFailsWithInvalidRequest(String data) {
        SessionStore store = newStore();
        Session session = newSession(store);

        assertCode(ErrorCode.INVALID_REQUEST, () -> store.append(session.id(), NewEvent.of("message", data)));
        assertThat(store.position(session.id()).latest()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = { "[]", "1", "\"text\"", "null", "{" })
    void metadataThatIsNoObjectFailsWithInvalidRequest(String metadata) {
        SessionStore store = newStore();
        Session session = newSession(store);

        assertCode(ErrorCode.INVALID_REQUEST,
                () -> store.append(session.id(), new NewEvent(null, null, "1", null, metadata, false)));
        assertCode(ErrorCode.INVALID_REQUEST,
                () -> store.create(new NewSession(null, null, null, null, metadata, null)));
        assertThat(store.position(session.id()).latest()).isZero();
    }

    @Test
    void ephemeralEventThroughAppendFailsWithInvalidRequest() {
        SessionStore store = newStore();
        Session session = newSession(store);

        assertCode(ErrorCode.INVALID_REQUEST,
                () -> store.append(session.id(), new NewEvent(null, "tick", "1", null, null, true)));
        assertThat(store.position(session.id()).latest()).isZero();
        assertThat(store.appendAll(session.id(), List.of(NewEvent.of("message", "1")))).hasSize(1);
    }

}
