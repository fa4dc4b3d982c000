package io.mcpsession.core;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SessionPatchTests {

    private static final Instant CREATED = Instant.parse("2025-11-25T10:00:00.000Z");

    private final Session session = new Session("s-1", CREATED, CREATED.plusSeconds(60), CREATED.plusSeconds(1860),
            false, "{\"roots\":{\"listChanged\":true},\"sampling\":{}}", null, "2025-06-18",
            "{\"team\":\"blue\",\"tags\":[\"a\"],\"nested\":{\"x\":1,\"y\":2}}", "alice");

    @ParameterizedTest
    @ValueSource(strings = { "{}", "{\"initialized\":true}", "{\"initialized\":false}", "{\"initialized\":null}",
            "{\"protocolVersion\":\"2025-11-25\"}", "{\"protocolVersion\":null}", "{\"clientCapabilities\":{}}",
            "{\"clientCapabilities\":null}", "{\"serverCapabilities\":{\"tools\":{}}}", "{\"serverCapabilities\":null}",
            "{\"metadata\":{\"a\":null}}", "{\"metadata\":null}" })
    void eachPatchableMemberIsAccepted(String json) {
        assertThat(new SessionPatch(json).json()).isEqualTo(json);
    }

    @Test
    void patchTextIsCompactedVerbatim() {
        assertThat(new SessionPatch(" { \"metadata\" : { \"n\" : 1.10 , \"s\" : \" a b \" } } ").json())
            .isEqualTo("{\"metadata\":{\"n\":1.10,\"s\":\" a b \"}}");
    }

    @ParameterizedTest
    @ValueSource(strings = { "id", "createdAt", "lastActivity", "expiresAt", "principal", "state", "events", "",
            "Metadata", "initialised" })
    void unknownMembersAreRejected(String member) {
        assertInvalidRequest("{\"" + member + "\":null}");
        assertInvalidRequest("{\"metadata\":{},\"" + member + "\":\"x\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"initialized\":\"true\"}", "{\"initialized\":1}", "{\"initialized\":{}}",
            "{\"protocolVersion\":1}", "{\"protocolVersion\":\"\"}", "{\"protocolVersion\":true}",
            "{\"protocolVersion\":{}}", "{\"protocolVersion\":[\"2025-11-25\"]}", "{\"clientCapabilities\":\"x\"}",
            "{\"clientCapabilities\":[]}", "{\"clientCapabilities\":1}", "{\"serverCapabilities\":true}",
            "{\"serverCapabilities\":[{}]}", "{\"metadata\":[]}", "{\"metadata\":\"{}\"}", "{\"metadata\":0}" })
    void membersOfTheWrongTypeAreRejected(String json) {
        assertInvalidRequest(json);
    }

    @Test
    void protocolVersionHasAtMost256Characters() {
        String longest = "v".repeat(256);

        assertThat(new SessionPatch("{\"protocolVersion\":\"" + longest + "\"}").applyTo(this.session).protocolVersion())
            .isEqualTo(longest);
        assertInvalidRequest("{\"protocolVersion\":\"" + "v".repeat(257) + "\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = { "[]", "null", "1", "\"{}\"", "true", "", " ", "{", "{\"metadata\":}", "{} x", "{}{}",
            "{'metadata':{}}" })
    void patchesThatAreNotOneJsonObjectAreRejected(String json) {
        assertInvalidRequest(json);
    }

    @Test
    void emptyPatchChangesNothing() {
        assertThat(new SessionPatch("{}").applyTo(this.session)).isEqualTo(this.session);
    }

    @Test
    void initializedIsSetAndANullResetsItToFalse() {
        Session initialized = new SessionPatch("{\"initialized\":true}").applyTo(this.session);

        assertThat(initialized.initialized()).isTrue();
        assertThat(new SessionPatch("{\"initialized\":false}").applyTo(initialized).initialized()).isFalse();
        assertThat(new SessionPatch("{\"initialized\":null}").applyTo(initialized).initialized()).isFalse();
    }

    @Test
    void protocolVersionIsReplacedOrRemoved() {
        assertThat(new SessionPatch("{\"protocolVersion\":\"2025-11-25\"}").applyTo(this.session).protocolVersion())
            .isEqualTo("2025-11-25");
        assertThat(new SessionPatch("{\"protocolVersion\":null}").applyTo(this.session).protocolVersion()).isNull();
    }

    @Test
    void capabilitiesAreMergePatched() {
        Session patched = new SessionPatch(
                "{\"clientCapabilities\":{\"roots\":{\"listChanged\":false},\"sampling\":null,\"elicitation\":{}},"
                        + "\"serverCapabilities\":{\"tools\":{\"listChanged\":true,\"gone\":null}}}")
            .applyTo(this.session);

        assertThat(patched.clientCapabilities()).isEqualTo("{\"roots\":{\"listChanged\":false},\"elicitation\":{}}");
        assertThat(patched.serverCapabilities()).isEqualTo("{\"tools\":{\"listChanged\":true}}");
    }

    @Test
    void nullCapabilitiesRemoveThem() {
        Session patched = new SessionPatch("{\"clientCapabilities\":null,\"serverCapabilities\":null}")
            .applyTo(this.session);

        assertThat(patched.clientCapabilities()).isNull();
        assertThat(patched.serverCapabilities()).isNull();
    }

    @Test
    void metadataIsMergePatchedKeyByKey() {
        Session patched = new SessionPatch(
                "{\"metadata\":{\"team\":null,\"tags\":[\"b\",\"c\"],\"nested\":{\"y\":null,\"z\":3},\"new\":\"v\"}}")
            .applyTo(this.session);

        assertThat(patched.metadata()).isEqualTo("{\"tags\":[\"b\",\"c\"],\"nested\":{\"x\":1,\"z\":3},\"new\":\"v\"}");
    }

    @Test
    void nullMetadataLeavesAnEmptyObject() {
        assertThat(new SessionPatch("{\"metadata\":null}").applyTo(this.session).metadata()).isEqualTo("{}");
    }

    @Test
    void patchLeavesIdentityOwnerActivityTimesAndUnmentionedMembersAlone() {
        Session patched = new SessionPatch("{\"initialized\":true}").applyTo(this.session);

        assertThat(patched.id()).isEqualTo("s-1");
        assertThat(patched.createdAt()).isEqualTo(this.session.createdAt());
        assertThat(patched.lastActivity()).isEqualTo(this.session.lastActivity());
        assertThat(patched.expiresAt()).isEqualTo(this.session.expiresAt());
        assertThat(patched.principal()).isEqualTo("alice");
        assertThat(patched.clientCapabilities()).isEqualTo(this.session.clientCapabilities());
        assertThat(patched.serverCapabilities()).isNull();
        assertThat(patched.protocolVersion()).isEqualTo("2025-06-18");
        assertThat(patched.metadata()).isEqualTo(this.session.metadata());
    }

    @Test
    void applyingAPatchDoesNotChangeTheOriginalSession() {
        String metadata = this.session.metadata();

        new SessionPatch("{\"metadata\":{\"nested\":{\"x\":null}}}").applyTo(this.session);

        assertThat(this.session.metadata()).isEqualTo(metadata);
    }

    private static void assertInvalidRequest(String json) {
        assertThatExceptionOfType(McpSessionException.class).isThrownBy(() -> new SessionPatch(json))
            .extracting(McpSessionException::code)
            .isEqualTo(ErrorCode.INVALID_REQUEST);
    }

}
