package org.siphon.core.internal.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTest {

    @Test
    void readsEveryKindOfValue() throws Exception {
        Object v = Json.parse(" {\"a\": [1, -2, 3.5, 1e3, true, false, null], \"b\": \"x\\\"\\\\\\/\\n\\u00e9\", \"c\": {}} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("a", Arrays.asList(1L, -2L, 3.5, 1000.0, true, false, null));
        expected.put("b", "x\"\\/\né");
        expected.put("c", Map.of());
        assertEquals(expected, v);
    }

    @Test
    void hugeIntegersBecomeDoubles() throws Exception {
        assertEquals(1e20, Json.parse("100000000000000000000"));
    }

    @Test
    void writesAndReadsBack() throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "tab\tquote\"ctl\u0001");
        m.put("n", 42);
        m.put("l", 1L << 40);
        m.put("d", 0.25);
        m.put("list", List.of("a", 1L));
        m.put("arr", new int[] { 1, 2 });
        m.put("null", null);
        String text = Json.write(m);
        assertEquals("{\"s\":\"tab\\tquote\\\"ctl\\u0001\",\"n\":42,\"l\":1099511627776,\"d\":0.25,"
                + "\"list\":[\"a\",1],\"arr\":[1,2],\"null\":null}", text);
        Object back = Json.parse(text);
        assertEquals("tab\tquote\"ctl\u0001", ((Map<?, ?>) back).get("s"));
        assertEquals(Json.parse(Json.pretty(m)), back);
    }

    @Test
    void nonFiniteNumbersAreWrittenAsNull() {
        assertEquals("[null]", Json.write(List.of(Double.NaN)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "{", "[1,", "{\"a\" 1}", "{1:2}", "tru", "\"abc", "\"\\x\"", "\"\\u12\"", "[1]x",
            "-", "1.2.3", "{\"a\":1,}", "\"a\nb\"", "[01e]" })
    void malformedTextIsAParseException(String text) {
        assertThrows(Json.ParseException.class, () -> Json.parse(text));
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(100_000);
        Json.ParseException e = assertThrows(Json.ParseException.class, () -> Json.parse(deep));
        assertTrue(e.getMessage().contains("deeper"));
    }

    @Test
    void randomBytesNeverEscapeAsAnythingButParseException() {
        Random random = new Random(2026);
        int parsed = 0;
        String alphabet = "{}[],:\"\\0123456789.-eEtrufalsn \t\nxé";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int len = random.nextInt(40);
            for (int j = 0; j < len; j++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            try {
                Json.parse(sb.toString());
                parsed++;
            } catch (Json.ParseException expected) {
                // fine: malformed
            }
        }
        assertTrue(parsed > 100, "the generator also makes valid JSON, else this tests only the error path: " + parsed);
    }
}
