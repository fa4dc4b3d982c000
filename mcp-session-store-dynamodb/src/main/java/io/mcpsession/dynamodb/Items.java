package io.mcpsession.dynamodb;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Reading and writing item attributes: strings, numbers and booleans, absent when {@code null}.
 */
final class Items {

    /** The partition key attribute of both tables. */
    static final String PK = "pk";

    /** The sort key attribute of both tables (a string in the sessions table, a number in the logs table). */
    static final String SK = "sk";

    /** The TTL attribute (epoch seconds) of both tables: a backstop behind the sweeper, never the only removal. */
    static final String TTL = "expires_at";

    private Items() {
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue bool(boolean value) {
        return AttributeValue.fromBool(value);
    }

    /** A key of the sessions table. */
    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, s(pk), SK, s(sk));
    }

    /** A key of the logs table. */
    static Map<String, AttributeValue> key(String pk, long sk) {
        return Map.of(PK, s(pk), SK, n(sk));
    }

    /** A mutable item with its key. */
    static Map<String, AttributeValue> item(Map<String, AttributeValue> key) {
        return new HashMap<>(key);
    }

    static void put(Map<String, AttributeValue> item, String name, @Nullable String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    static @Nullable String string(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return (value != null) ? value.s() : null;
    }

    static String requiredString(Map<String, AttributeValue> item, String name) {
        String value = string(item, name);
        if (value == null) {
            throw new IllegalStateException("An item of the store lacks '" + name + "'");
        }
        return value;
    }

    static long number(Map<String, AttributeValue> item, String name, long absent) {
        AttributeValue value = item.get(name);
        return (value != null && value.n() != null) ? Long.parseLong(value.n()) : absent;
    }

    static boolean bool(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value != null && Boolean.TRUE.equals(value.bool());
    }

    /** A zero-padded decimal, so that numbers sort as strings. */
    static String padded(long value) {
        return String.format("%019d", value);
    }

}
