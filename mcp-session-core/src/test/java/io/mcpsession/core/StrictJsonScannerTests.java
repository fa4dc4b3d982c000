package io.mcpsession.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scanner vouches only for JSON that Jackson accepts (compared on generated and mutated text), and it does
 * vouch for the JSON events usually carry, so that {@link JsonText#compact(String)} rarely needs a parser.
 */
class StrictJsonScannerTests {

    @ParameterizedTest
    @ValueSource(strings = { "{}", "[]", "0", "-0", "42", "-1.5e+10", "1E-3", "0.25", "true", "false", "null", "\"\"",
            "\"text with \\\"quotes\\\", \\\\ \\/ \\b\\f\\n\\r\\t and \\u00e9\\uD83D\\uDE00\"", "\"é 中文 😀\"",
            "{\"text\":\"The quick brown fox\",\"n\":42}", "[1,[2,[3,{}]],{\"a\":{\"b\":null}}]", "{\"\":[]}" })
    void vouchesForCompactJson(String json) {
        assertThat(StrictJsonScanner.scan(json)).isEqualTo(StrictJsonScanner.COMPACT);
    }

    @ParameterizedTest
    @ValueSource(strings = { " {} ", "{ \"a\" : [ 1 , 2 ] }", "\t[\r\n]\n", "[ true , false , null ]", " 7" })
    void vouchesForSpacedJson(String json) {
        assertThat(StrictJsonScanner.scan(json)).isEqualTo(StrictJsonScanner.SPACED);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "{", "}", "[1,]", "{\"a\":1,}", "{\"a\"}", "{a:1}", "{'a':1}", "01", "-", "1.",
            ".5", "+1", "1e", "1x", "[1x]", "truex", "nul", "NaN", "[Infinity]", "\"\\x\"", "\"\\u12\"",
            "\"\\u\u0663\u0663\u0663\u0663\"", "\"tab\there\"", "\"unterminated", "1 2", "{} {}", "// comment\n1",
            "\u000b1", "\ufeff{}", "[1]]" })
    void leavesEverythingElseToJackson(String json) {
        assertThat(StrictJsonScanner.scan(json)).isEqualTo(StrictJsonScanner.UNKNOWN);
    }

    @Test
    void leavesWhatApproachesJacksonsLimitsToJackson() {
        assertThat(StrictJsonScanner.scan("[".repeat(64) + "]".repeat(64))).isEqualTo(StrictJsonScanner.COMPACT);
        assertThat(StrictJsonScanner.scan("[".repeat(65) + "]".repeat(65))).isEqualTo(StrictJsonScanner.UNKNOWN);
        assertThat(StrictJsonScanner.scan("1".repeat(100))).isEqualTo(StrictJsonScanner.COMPACT);
        assertThat(StrictJsonScanner.scan("1".repeat(101))).isEqualTo(StrictJsonScanner.UNKNOWN);
        assertThat(StrictJsonScanner.scan("\"" + "x".repeat(20_000) + "\"")).isEqualTo(StrictJsonScanner.UNKNOWN);
        assertThat(JsonText.compact("[\"" + "x".repeat(20_000) + "\" ]")).isEqualTo("[\"" + "x".repeat(20_000) + "\"]");
    }

    /** Generated values and single-character mutations of them, each judged by the scanner and by Jackson. */
    @Test
    void vouchesOnlyForWhatJacksonAccepts() {
        Random random = new Random(20261208);
        int vouched = 0;
        int refused = 0;
        for (int i = 0; i < 20_000; i++) {
            String valid = value(random, 0);
            for (String json : List.of(valid, mutate(random, valid), mutate(random, mutate(random, valid)))) {
                int scanned = StrictJsonScanner.scan(json);
                boolean accepted = jacksonAccepts(json);
                if (scanned != StrictJsonScanner.UNKNOWN) {
                    assertThat(accepted).as("Jackson accepts %s", json).isTrue();
                    assertThat(scanned == StrictJsonScanner.COMPACT)
                        .as("compact %s", json)
                        .isEqualTo(JsonText.stripWhitespace(json).equals(json));
                    vouched++;
                }
                else if (!accepted) {
                    refused++;
                }
            }
        }
        // Both kinds were met in numbers, so the comparison above was made on both sides.
        assertThat(vouched).isGreaterThan(20_000);
        assertThat(refused).isGreaterThan(5_000);
    }

    private static boolean jacksonAccepts(String json) {
        try (JsonParser parser = JsonText.parser(json)) {
            if (parser.nextToken() == null) {
                return false;
            }
            parser.skipChildren();
            return parser.nextToken() == null;
        }
        catch (JacksonException ex) {
            return false;
        }
    }

    private static final String[] SCALARS = { "0", "-0", "7", "-12", "3.25", "1e5", "-2.5E-3", "true", "false", "null",
            "\"\"", "\"a b\"", "\"\\n\\u0041\\\"\"", "\"é😀\"" };

    private static final String[] SPACES = { "", "", "", " ", "\n", "\t ", "\r\n" };

    private static String value(Random random, int depth) {
        int kind = (depth > 4) ? 0 : random.nextInt(4);
        if (kind < 2) {
            return SCALARS[random.nextInt(SCALARS.length)];
        }
        List<String> members = new ArrayList<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            String member = space(random) + value(random, depth + 1) + space(random);
            members.add((kind == 2) ? member : space(random) + "\"k" + i + "\"" + space(random) + ":" + member);
        }
        String open = (kind == 2) ? "[" : "{";
        String close = (kind == 2) ? "]" : "}";
        return open + String.join(",", members) + space(random) + close;
    }

    private static String space(Random random) {
        return SPACES[random.nextInt(SPACES.length)];
    }

    private static final String MUTATIONS = "{}[],:\"\\ 0123456789-+.eEtfnaulrsxu\t\n\u0001\u00e9";

    private static String mutate(Random random, String json) {
        if (json.isEmpty()) {
            return json;
        }
        int at = random.nextInt(json.length());
        char c = MUTATIONS.charAt(random.nextInt(MUTATIONS.length()));
        return switch (random.nextInt(3)) {
            case 0 -> json.substring(0, at) + json.substring(at + 1);
            case 1 -> json.substring(0, at) + c + json.substring(at);
            default -> json.substring(0, at) + c + json.substring(at + 1);
        };
    }

}
