package org.siphon.core.internal.jsonrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class MetricsTest {

    /** A sample line of the text format 0.0.4: name, optional labels, a number. */
    static final Pattern SAMPLE = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[^}]*\\})? -?[0-9.eE+-]+|[+-]Inf|NaN");

    @Test
    void statisticsBecomeCountersAndGauges() throws Exception {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("core:rcv_requests", 42L);
        stats.put("usrloc:location-users", 7L);
        stats.put("tmx:active_transactions", 3L);
        stats.put("registrar:default_expire", 3600L);
        stats.put("odd:not_a_number", "x");
        Metrics m = new Metrics(() -> stats);
        String text = new String(m.scrape(), StandardCharsets.UTF_8);
        assertTrue(text.contains("# TYPE siphon_core_rcv_requests_total counter\n"), text);
        assertTrue(text.contains("\nsiphon_core_rcv_requests_total 42.0\n"), text);
        assertTrue(text.contains("# TYPE siphon_usrloc_location_users gauge\n") && text.contains("\nsiphon_usrloc_location_users 7.0\n"), text);
        assertTrue(text.contains("\nsiphon_tmx_active_transactions 3.0\n"), text);
        assertTrue(text.contains("jvm_memory_used_bytes{area=\"heap\"}"), "JVM metrics too");
        assertFalse(text.contains("not_a_number"));
        for (String line : text.split("\n")) {
            assertTrue(line.startsWith("#") || SAMPLE.matcher(line).matches(), "a valid sample line: " + line);
        }
        stats.put("core:rcv_requests", 43L);
        assertTrue(new String(m.scrape(), StandardCharsets.UTF_8).contains("siphon_core_rcv_requests_total 43.0"),
                "each scrape reads the statistics now");
        assertEquals("text/plain; version=0.0.4; charset=utf-8", Metrics.contentType());
    }
}
