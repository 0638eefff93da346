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

    @Test
    void workerQueuesAndModules() throws Exception {
        java.util.concurrent.ThreadPoolExecutor rpc = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0,
                java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(4));
        try {
            java.util.List<org.siphon.core.module.ModuleInfo> modules = java.util.List.of(
                    new org.siphon.core.module.ModuleInfo("core", "org.siphon.core", "0.1.0", 5, "active", "file:core.jar",
                            true, 1, 20, 30),
                    new org.siphon.core.module.ModuleInfo("tm", "org.siphon.tm", "0.1.0", 14, "draining", "file:tm.jar",
                            false, 0, 0, 0),
                    new org.siphon.core.module.ModuleInfo("tm", "org.siphon.tm", "0.1.1", 40, "active", "file:tm.jar#2",
                            true, 12, 3, 4));
            Metrics m = new Metrics(Map::of, () -> java.util.List.of(
                    new org.siphon.core.internal.proxy.WorkerLoad(1, 3, true, 256),
                    new org.siphon.core.internal.proxy.WorkerLoad(2, 0, false, 256)), () -> modules, rpc);
            String text = new String(m.scrape(), StandardCharsets.UTF_8);
            assertTrue(text.contains("\nsiphon_sip_workers 2.0\n"), text);
            assertTrue(text.contains("\nsiphon_sip_worker_queue_length{worker=\"1\"} 3.0\n"), text);
            assertTrue(text.contains("\nsiphon_sip_worker_queue_length{worker=\"2\"} 0.0\n"), text);
            assertTrue(text.contains("\nsiphon_sip_worker_busy{worker=\"1\"} 1.0\n"), text);
            assertTrue(text.contains("\nsiphon_sip_worker_queue_capacity{worker=\"2\"} 256.0\n"), text);
            assertTrue(text.contains("\nsiphon_rpc_queue_length 0.0\n") && text.contains("\nsiphon_rpc_workers_busy 0.0\n"), text);
            assertTrue(text.contains("\nsiphon_module_state{module=\"tm\",state=\"active\"} 1.0\n"), text);
            assertTrue(text.contains("\nsiphon_module_state{module=\"tm\",state=\"draining\"} 1.0\n"), "an old version draining: " + text);
            assertTrue(text.contains("\nsiphon_module_state{module=\"tm\",state=\"stopping\"} 0.0\n"), text);
            assertTrue(text.contains("\nsiphon_module_state{module=\"core\",state=\"active\"} 1.0\n"), text);
            assertTrue(text.contains("\nsiphon_module_exporting{module=\"tm\"} 1.0\n"), text);
            assertTrue(text.contains("\nsiphon_module_exports{kind=\"functions\",module=\"tm\"} 12.0\n"), text);
            assertTrue(text.contains("\nsiphon_module_exports{kind=\"rpc_commands\",module=\"core\"} 30.0\n"), text);
            for (String line : text.split("\n")) {
                assertTrue(line.startsWith("#") || SAMPLE.matcher(line).matches(), "a valid sample line: " + line);
            }
        } finally {
            rpc.shutdownNow();
        }
    }

    @Test
    void noCoreNoModulesStillScrapes() throws Exception {
        String text = new String(new Metrics(Map::of, java.util.List::of, java.util.List::of, null).scrape(),
                StandardCharsets.UTF_8);
        assertTrue(text.contains("\nsiphon_sip_workers 0.0\n"), text);
        assertFalse(text.contains("siphon_module_state"), text);
        assertFalse(text.contains("siphon_rpc_queue_length"), text);
    }
}
