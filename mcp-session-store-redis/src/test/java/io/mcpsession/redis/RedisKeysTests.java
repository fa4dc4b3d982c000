package io.mcpsession.redis;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The key layout: one cluster slot per session whatever its id holds, and the store-wide keys on a slot of
 * their own.
 */
class RedisKeysTests {

    private final RedisKeys keys = new RedisKeys("mcp:");

    private static Set<Integer> slotsOf(List<String> keys) {
        return keys.stream().map(SlotHash::getSlot).collect(Collectors.toSet());
    }

    @ParameterizedTest
    @ValueSource(strings = { "plain", "a{b}c", "{x}", "}{", "{}", "{{}}", "}", "{", "a:b", "~!@$^&*()_+-=[]{}|:'\"<>,`" })
    void everyKeyOfASessionIsOnTheSlotOfItsWholeId(String id) {
        List<String> sessionKeys = this.keys.session(id);

        assertThat(slotsOf(sessionKeys)).containsExactly(SlotHash.getSlot(id.replace("{", "%7B").replace("}", "%7D")));
        assertThat(sessionKeys).allSatisfy((key) -> assertThat(key).startsWith("mcp:v1:" + RedisKeys.tag(id) + ":"));
        assertThat(this.keys.feedQueue(id)).isEqualTo(sessionKeys.get(4));
    }

    /** An id holding {@code %} is never valid, yet a caller of the store could still ask for one. */
    @Test
    void anIdHoldingThePercentEscapeOfABraceNamesNoOtherSessionsKeys() {
        assertThat(RedisKeys.tag("a%7Bb")).isNotEqualTo(RedisKeys.tag("a{b"));
        assertThat(RedisKeys.tag("a%7Db")).isNotEqualTo(RedisKeys.tag("a}b"));
        assertThat(RedisKeys.tag("a%257Bb")).isNotEqualTo(RedisKeys.tag("a%7Bb"));
        assertThat(this.keys.session("%g")).noneMatch((key) -> key.startsWith("mcp:v1:{%g}"));
    }

    @Test
    void idsThatDifferOnlyInBracesGetDifferentTags() {
        assertThat(RedisKeys.tag("a{b}")).isNotEqualTo(RedisKeys.tag("a{b")).isNotEqualTo(RedisKeys.tag("ab"));
        assertThat(this.keys.session("{a}").get(0)).isNotEqualTo(this.keys.session("a").get(0));
    }

    @Test
    void storeWideKeysShareOneSlotThatNoSessionTagNames() {
        List<String> global = List.of(this.keys.sessions(), this.keys.registrations(), this.keys.tombstones(),
                this.keys.created(), this.keys.owned(), this.keys.dirty(), this.keys.feedLease(), this.keys.sweepLease());

        assertThat(slotsOf(global)).hasSize(1);
        assertThat(slotsOf(this.keys.registry())).isEqualTo(slotsOf(global));
        assertThat(slotsOf(this.keys.feed())).isEqualTo(slotsOf(global));
        assertThat(global).allSatisfy((key) -> assertThat(key).startsWith("mcp:v1:{%g}:"));
        assertThat(this.keys.session("g").get(0)).isEqualTo("mcp:v1:{g}:meta");
    }

    @Test
    void prefixWithBracesIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeys("app{1}:"));
        assertThatIllegalArgumentException().isThrownBy(() -> new RedisKeys("app}"));
    }

}
