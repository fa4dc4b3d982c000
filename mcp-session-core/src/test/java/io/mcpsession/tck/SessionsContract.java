package io.mcpsession.tck;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.mcpsession.core.ErrorCode;
import io.mcpsession.core.EventQuery;
import io.mcpsession.core.NewSession;
import io.mcpsession.core.Session;
import io.mcpsession.core.SessionPatch;
import io.mcpsession.store.SessionStore;
import io.mcpsession.store.StoreSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions: create, find, update, delete, touch (SPEC §2, §6 sessions). Listing is in {@link SessionListContract}.
 */
public abstract class SessionsContract extends ContractSupport {

    protected SessionsContract(StoreFactory factory) {
        super(factory);
    }

    @Test
    void createGeneratesUuidV7Id() {
        SessionStore store = newStore();
        Session session = newSession(store);

        UUID uuid = UUID.fromString(session.id());
        assertThat(uuid.toString()).isEqualTo(session.id());
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(newSession(store).id()).isNotEqualTo(session.id());
    }

    @Test
    void createFillsDefaults() {
        SessionStore store = newStore();
        Instant now = this.clock.instant().truncatedTo(ChronoUnit.MILLIS);

        Session session = newSession(store);

        assertThat(session.createdAt()).isEqualTo(now);
        assertThat(session.lastActivity()).isEqualTo(now);
        assertThat(session.expiresAt()).isEqualTo(now.plus(StoreSettings.defaults().timeout()));
        assertThat(session.initialized()).isFalse();
        assertThat(session.clientCapabilities()).isNull();
        assertThat(session.serverCapabilities()).isNull();
        assertThat(session.protocolVersion()).isNull();
        assertSameJson(session.metadata(), "{}");
        assertThat(session.principal()).isNull();
    }

    @Test
    void createWithCallerIdKeepsEveryMember() {
        SessionStore store = newStore();
        NewSession request = new NewSession("my-session_1", json("{'tools':{'listChanged':true}}"),
                json("{'logging':{}}"), "2025-11-25", json("{'tenant':'acme','n':1.10}"), "alice");

        Session created = store.create(request);

        assertThat(created.id()).isEqualTo("my-session_1");
        assertSameJson(created.clientCapabilities(), "{\"tools\":{\"listChanged\":true}}");
        assertSameJson(created.serverCapabilities(), "{\"logging\":{}}");
        assertThat(created.protocolVersion()).isEqualTo("2025-11-25");
        assertSameJson(created.metadata(), "{\"tenant\":\"acme\",\"n\":1.10}");
        assertThat(created.principal()).isEqualTo("alice");
        assertThat(store.find("my-session_1")).contains(created);
    }

    @Test
    void createWithTakenIdFailsWithSessionExists() {
        SessionStore store = newStore();
        Session original = newSession(store, "taken");

        assertCode(ErrorCode.SESSION_EXISTS, () -> store.create(NewSession.withId("taken")));
        assertThat(store.find("taken")).contains(original);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "a b", " ", "a\tb", "a\nb", "a\u007fb", "\u00e9t\u00e9", "caf\u00e9", "a/b", "a\\b",
            "a;b", "a%20b", "a?b", "a#b", "/", "\\", ";", "%", "?", "#", ".", "..", "feed", "console" })
    void invalidCallerIdFailsWithInvalidSessionId(String id) {
        SessionStore store = newStore();

        assertCode(ErrorCode.INVALID_SESSION_ID, () -> store.create(NewSession.withId(id)));
        assertThat(store.list(null, 1000).sessions()).isEmpty();
    }

    @Test
    void callerIdOf129CharactersFailsWithInvalidSessionId() {
        SessionStore store = newStore();

        assertCode(ErrorCode.INVALID_SESSION_ID, () -> store.create(NewSession.withId("a".repeat(129))));
    }

    @Test
    void callerIdOf128VisibleCharactersIsAccepted() {
        SessionStore store = newStore();
        StringBuilder visible = new StringBuilder();
        for (char c = 0x21; c <= 0x7E; c++) {
            if ("/\\;%?#".indexOf(c) < 0) {
                visible.append(c);
            }
        }
        String id = (visible.toString() + "x".repeat(128)).substring(0, 128);

        assertThat(store.create(NewSession.withId(id)).id()).isEqualTo(id);
        assertThat(store.find(id)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = { "a", "...", ".a", "feeds", "FEED", "a.b", "~!@$^&*()_+-=[]{}|:'\"<>,`" })
    void idsThatOnlyResembleReservedOnesAreAccepted(String id) {
        SessionStore store = newStore();

        assertThat(newSession(store, id).id()).isEqualTo(id);
    }

    @Test
    void findReturnsTheStoredSessionOrNothing() {
        SessionStore store = newStore();
        Session session = newSession(store);

        assertThat(store.find(session.id())).contains(session);
        assertThat(store.find("unknown")).isEmpty();
    }

    @Test
    void timestampsHaveMillisecondPrecision() {
        SessionStore store = newStore();
        assertThat(this.clock.instant().getNano() % 1_000_000).as("the clock has sub-millisecond digits").isNotZero();

        Session session = newSession(store);
        Session found = store.find(session.id()).orElseThrow();

        for (Instant instant : new Instant[] { session.createdAt(), session.lastActivity(), session.expiresAt(),
                found.createdAt(), found.lastActivity(), found.expiresAt() }) {
            assertThat(instant.getNano() % 1_000_000).as("sub-millisecond part of %s", instant).isZero();
        }
        assertThat(found.createdAt()).isEqualTo(session.createdAt());
    }

    @Test
    void updateMergesPatch() {
        SessionStore store = newStore();
        Session session = store.create(new NewSession("merge", json("{'roots':{'listChanged':false}}"), null, null,
                json("{'a':1,'b':{'x':1,'y':2}}"), null));

        Session updated = store.update("merge", new SessionPatch(json(
                "{'initialized':true,'protocolVersion':'2025-11-25','clientCapabilities':{'sampling':{}},"
                        + "'serverCapabilities':{'tools':{}},'metadata':{'b':{'y':null,'z':3},'c':'new'}}")));

        assertThat(updated.id()).isEqualTo("merge");
        assertThat(updated.createdAt()).isEqualTo(session.createdAt());
        assertThat(updated.initialized()).isTrue();
        assertThat(updated.protocolVersion()).isEqualTo("2025-11-25");
        assertSameJson(updated.clientCapabilities(), json("{'roots':{'listChanged':false},'sampling':{}}"));
        assertSameJson(updated.serverCapabilities(), json("{'tools':{}}"));
        assertSameJson(updated.metadata(), json("{'a':1,'b':{'x':1,'z':3},'c':'new'}"));
        assertThat(store.find("merge")).contains(updated);
    }

    @Test
    void updateWithNullMemberRemovesIt() {
        SessionStore store = newStore();
        store.create(new NewSession("nulls", json("{'a':{}}"), json("{'b':{}}"), "2025-06-18",
                json("{'keep':1,'drop':2}"), null));

        Session updated = store.update("nulls", new SessionPatch(json(
                "{'clientCapabilities':null,'serverCapabilities':null,'protocolVersion':null,'metadata':{'drop':null}}")));

        assertThat(updated.clientCapabilities()).isNull();
        assertThat(updated.serverCapabilities()).isNull();
        assertThat(updated.protocolVersion()).isNull();
        assertSameJson(updated.metadata(), json("{'keep':1}"));
    }

    @Test
    void updateWithEmptyPatchChangesNothing() {
        SessionStore store = newStore();
        Session session = store.create(new NewSession("same", json("{'a':{}}"), null, "v1", json("{'k':'v'}"), null));

        Session updated = store.update("same", new SessionPatch("{}"));

        assertThat(updated.initialized()).isEqualTo(session.initialized());
        assertSameJson(updated.clientCapabilities(), session.clientCapabilities());
        assertThat(updated.protocolVersion()).isEqualTo("v1");
        assertSameJson(updated.metadata(), session.metadata());
    }

    @Test
    void updateWithUnknownMemberFailsWithInvalidRequest() {
        SessionStore store = newStore();
        Session session = newSession(store);

        assertCode(ErrorCode.INVALID_REQUEST, () -> store.update(session.id(), new SessionPatch(json("{'id':'x'}"))));
        assertCode(ErrorCode.INVALID_REQUEST,
                () -> store.update(session.id(), new SessionPatch(json("{'principal':'mallory'}"))));
        assertThat(store.find(session.id())).contains(session);
    }

    @Test
    void updateOfUnknownSessionFailsWithSessionNotFound() {
        SessionStore store = newStore();

        assertCode(ErrorCode.SESSION_NOT_FOUND,
                () -> store.update("unknown", new SessionPatch(json("{'initialized':true}"))));
    }

    @Test
    void deleteRemovesSession() {
        SessionStore store = newStore();
        Session session = newSession(store);

        assertThat(store.delete(session.id())).isTrue();
        assertThat(store.find(session.id())).isEmpty();
        assertThat(store.delete(session.id())).isFalse();
        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.read(session.id(), EventQuery.after(0)));
    }

    @Test
    void deleteOfUnknownSessionReturnsFalse() {
        SessionStore store = newStore();

        assertThat(store.delete("unknown")).isFalse();
    }

    @Test
    void deleteTakesStateAndEventsWithIt() {
        SessionStore store = newStore();
        newSession(store, "gone");
        store.putState("gone", "k", "1");
        appendMany(store, "gone", 3);

        store.delete("gone");
        newSession(store, "gone");

        assertThat(store.getAllState("gone")).isEmpty();
        assertThat(store.getState("gone", "k")).isEmpty();
        assertThat(readAll(store, "gone").events()).isEmpty();
        assertThat(store.position("gone").latest()).isZero();
    }

    @Test
    void touchExtendsExpiry() {
        SessionStore store = newStore();
        Session session = newSession(store);
        Instant later = this.clock.advance(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);

        Session touched = store.touch(session.id());

        assertThat(touched.lastActivity()).isEqualTo(later);
        assertThat(touched.expiresAt()).isEqualTo(later.plus(StoreSettings.defaults().timeout()));
        assertThat(touched.createdAt()).isEqualTo(session.createdAt());
        assertThat(store.find(session.id()).orElseThrow().expiresAt()).isEqualTo(touched.expiresAt());
    }

    @Test
    void touchOfUnknownSessionFailsWithSessionNotFound() {
        SessionStore store = newStore();

        assertCode(ErrorCode.SESSION_NOT_FOUND, () -> store.touch("unknown"));
    }

}
