package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18: the operator's noon reload. SIPp calls (INVITE, 200, ACK, BYE through the bench
 * routing: maxfwd, sanity, siputils, rr, registrar lookup, tm) run at a steady rate while every
 * module is updated, the script is reloaded with changed tm and registrar parameters, and a module
 * the script does not use is removed and installed again: no call fails and nothing is answered
 * 5xx. Then the refusals: removing a module the script calls is 409 naming the script lines.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveOperationsIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int sipPort;
    static Path cfg;
    /** The SIPp callee: bob's contact and the one destination of dispatcher set 1. */
    static int uasPort;

    @BeforeAll
    static void start() throws Exception {
        sipPort = SiphonServer.freePort();
        uasPort = SiphonServer.freePort();
        Files.writeString(dir.resolve("dispatcher.list"), "1 sip:127.0.0.1:" + uasPort + "\n");
        cfg = dir.resolve("live-ops.cfg");
        writeScript(30000, 3600);
        server = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + sipPort);
        assertTrue(SiphonServer.waitFor(20_000, LiveOperationsIT::settled), "every module active, script bound");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static void writeScript(int frTimer, int defaultExpires) throws IOException {
        writeScript(frTimer, defaultExpires, 1);
    }

    static void writeScript(int frTimer, int defaultExpires, int debug) throws IOException {
        String text;
        try (InputStream in = LiveOperationsIT.class.getResourceAsStream("/live/live-ops.cfg")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(cfg, text.replace("FR_TIMER", Integer.toString(frTimer))
                .replace("DEFAULT_EXPIRES", Integer.toString(defaultExpires)).replace("DEBUG_LEVEL", Integer.toString(debug)));
    }

    /** cfg.status: the script loaded with no unbound call, and every module active (none draining). */
    static boolean settled() {
        try {
            Map<?, ?> status = status();
            return Boolean.TRUE.equals(status.get("loaded")) && ((List<?>) status.get("unbound_calls")).isEmpty()
                    && ((List<?>) status.get("modules")).stream().allMatch(m -> "active".equals(((Map<?, ?>) m).get("state")));
        } catch (Exception e) {
            return false;
        }
    }

    static Map<?, ?> status() throws Exception {
        return (Map<?, ?>) server.rpc.call("cfg.status");
    }

    static List<String> moduleNames() throws Exception {
        List<String> names = new ArrayList<>();
        for (Object m : (List<?>) server.rpc.call("module.list")) {
            String name = (String) ((Map<?, ?>) m).get("name");
            if (!"core".equals(name) && !names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    static String location(String module) throws Exception {
        for (Object m : (List<?>) server.rpc.call("module.list")) {
            if (module.equals(((Map<?, ?>) m).get("name"))) {
                return (String) ((Map<?, ?>) m).get("location");
            }
        }
        return null;
    }

    @Test
    @Order(1)
    void callsSurviveUpdatesReloadsAndReinstalls() throws Exception {
        Path work = Files.createDirectories(dir.resolve("live"));
        int calls = 400;
        Sipp.Running uas = Sipp.uas(work, Sipp.scenario(work, "uas_dialog.xml"), "127.0.0.1", uasPort, "u1", calls);
        try (UdpPeer ua = new UdpPeer()) {
            ua.send("REGISTER sip:127.0.0.1:" + sipPort + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + ua.port() + ";branch=z9hG4bKlive1;rport\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:bob@127.0.0.1>;tag=live\r\nTo: <sip:bob@127.0.0.1>\r\n"
                    + "Call-ID: live-reg\r\nCSeq: 1 REGISTER\r\nContact: <sip:bob@127.0.0.1:" + uasPort + ">\r\n"
                    + "Expires: 3600\r\nContent-Length: 0\r\n\r\n", sipPort);
            assertNotNull(ua.receive("SIP/2.0 200", 3000), "bob registered at the SIPp callee");
        }
        List<String> modules = moduleNames();
        assertTrue(modules.containsAll(List.of("tm", "sl", "rr", "registrar", "maxfwd", "sanity", "siputils",
                "dispatcher", "nathelper")), modules.toString());
        String pike = location("pike");
        assertNotNull(pike, "pike is in the boot set (the script does not load it)");

        Sipp.Running uac = Sipp.uac(work, Sipp.scenario(work, "uac_dialog.xml"), "127.0.0.1", SiphonServer.freePort(),
                "127.0.0.1:" + sipPort, "bob@127.0.0.1", "u1", calls, 20);
        assertTrue(SiphonServer.waitFor(5_000, () -> tmStat("2xx") > 0), "calls are flowing");
        int reloads = 0;
        List<String> notApplied = new ArrayList<>();
        for (int i = 0; i < modules.size(); i++) {
            Map<?, ?> updated = (Map<?, ?>) server.rpc.call("module.update", modules.get(i));
            assertEquals("active", updated.get("state"), modules.get(i));
            if (i % 3 == 0) {
                writeScript(reloads % 2 == 0 ? 20000 : 30000, reloads % 2 == 0 ? 1800 : 3600);
                Map<?, ?> answer = (Map<?, ?>) server.rpc.call("cfg.reload");
                notApplied.addAll((List<String>) answer.get("not_applied"));
                reloads++;
            }
            if (i == modules.size() / 2) {
                server.rpc.call("module.uninstall", "pike");
                server.rpc.call("module.install", pike);
            }
            long mark = tmStat("2xx");
            assertTrue(SiphonServer.waitFor(5_000, () -> tmStat("2xx") > mark), "calls go on after updating " + modules.get(i));
        }
        assertEquals(0, uac.await(60), "SIPp: every call succeeded\n" + uac.log());
        assertEquals(0, uas.await(20), uas.log());
        assertTrue(reloads >= 3, "reloaded " + reloads + " times");
        assertEquals(List.of(), notApplied, "tm's fr_timer and registrar's default_expires apply live");
        assertTrue(SiphonServer.waitFor(30_000, LiveOperationsIT::settled), "every old version drained: " + status());
        String log = server.log();
        assertFalse(log.contains("which is not active"), "no call found a module missing");
        assertFalse(log.contains("transactions in progress: they end now"), "no transaction was cut short");
        assertFalse(log.contains("ERROR"), "no ERROR in the log:\n" + errors(log));
        assertTrue(log.contains("module tm: old bundle"), "the old tm drained and went");
        assertTrue(log.contains("module dispatcher: imports from tm: bundle"), "dispatcher moved to the new tm beside the old one");
        assertTrue(log.contains("module nathelper: imports from registrar: bundle"), "nathelper moved to the new registrar");
        assertFalse(log.contains("restart with it") || log.contains("restarts with the old"),
                "no module restarted with its provider");
    }

    @Test
    @Order(2)
    void removingAModuleTheScriptCallsIsRefusedWithItsLines() throws Exception {
        RpcClient.RpcError refused = assertThrows(RpcClient.RpcError.class,
                () -> server.rpc.call("module.uninstall", "maxfwd"));
        assertEquals(409L, refused.code);
        assertTrue(refused.getMessage().contains("live-ops.cfg:") && refused.getMessage().contains("mf_process_maxfwd_header()"),
                refused.getMessage());
        RpcClient.RpcError stopRefused = assertThrows(RpcClient.RpcError.class,
                () -> server.rpc.call("module.stop", "maxfwd"));
        assertEquals(409L, stopRefused.code, "module.stop is refused the same way");
        assertTrue(settled(), "the refusals changed nothing");
    }

    /** module.stop of a module the script does not call withdraws its exports; module.start brings them back. */
    @Test
    @Order(2)
    void anUnusedModuleStopsAndStartsAgain() throws Exception {
        server.rpc.call("module.stop", "pike");
        assertEquals("stopped", moduleState("pike"));
        assertEquals(List.of(), ((Map<?, ?>) server.rpc.call("module.exports", "pike")).get("functions"));
        Map<?, ?> started = (Map<?, ?>) server.rpc.call("module.start", "pike");
        assertEquals(Boolean.TRUE, started.get("exporting"), started.toString());
        assertEquals("active", moduleState("pike"));
        assertTrue(settled());
    }

    static String moduleState(String name) throws Exception {
        return ((List<?>) status().get("modules")).stream().map(m -> (Map<?, ?>) m)
                .filter(m -> name.equals(m.get("name"))).map(m -> (String) m.get("state")).findFirst().orElse(null);
    }

    @Test
    @Order(3)
    void forcedRemovalAnswers503WithRetryAfterAndLogsOncePerSecond() throws Exception {
        String maxfwd = location("maxfwd");
        server.rpc.call("module.uninstall", "maxfwd", 1);
        assertEquals(List.of(), ((List<?>) status().get("unbound_calls")).stream()
                .filter(c -> !c.toString().contains("mf_process_maxfwd_header")).toList());
        assertFalse(((List<?>) status().get("unbound_calls")).isEmpty(), "cfg.status names the unbound call");
        try (UdpPeer ua = new UdpPeer()) {
            for (int i = 0; i < 20; i++) {
                ua.send(UdpPeer.request("OPTIONS", "sip:bob@127.0.0.1", ua.port(), "forced-" + i, 1, "z9hG4bKf" + i, ""),
                        sipPort);
                String reply = ua.receive("SIP/2.0 503", 3000);
                assertNotNull(reply, "request " + i + " is answered 503");
                assertNotNull(UdpPeer.header(reply, "Retry-After"), reply);
            }
        }
        long lines = server.log().lines().filter(l -> l.contains("which is not active")).count();
        assertTrue(lines >= 1 && lines <= 3, "one log line per function per second, not one per request: " + lines);
        server.rpc.call("module.install", maxfwd);
        assertTrue(SiphonServer.waitFor(10_000, LiveOperationsIT::settled), "maxfwd is back and bound");
    }

    /**
     * {@code @Modified} in tm: an OPTIONS relayed statefully to a silent contact, started with
     * fr_timer 2 s, times out at 2 s although a reload to 30 s came while it was pending; the next
     * one waits the new 30 s. (The script forwards MESSAGE statelessly, so OPTIONS it is.)
     */
    @Test
    @Order(4)
    void aTransactionKeepsTheTimersItStartedWith() throws Exception {
        writeScript(2000, 3600);
        server.rpc.call("cfg.reload");
        try (UdpPeer ua = new UdpPeer(); UdpPeer silent = new UdpPeer()) {
            ua.send("REGISTER sip:127.0.0.1:" + sipPort + " SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 127.0.0.1:" + ua.port() + ";branch=z9hG4bKfr1;rport\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:carol@127.0.0.1>;tag=fr\r\nTo: <sip:carol@127.0.0.1>\r\n"
                    + "Call-ID: fr-reg\r\nCSeq: 1 REGISTER\r\nContact: <sip:carol@127.0.0.1:" + silent.port() + ">\r\n"
                    + "Expires: 3600\r\nContent-Length: 0\r\n\r\n", sipPort);
            assertNotNull(ua.receive("SIP/2.0 200", 3000), "carol registered at a contact that never answers");
            long started = System.nanoTime();
            ua.send(UdpPeer.request("OPTIONS", "sip:carol@127.0.0.1", ua.port(), "fr-1", 1, "z9hG4bKfr2", ""), sipPort);
            assertNotNull(silent.receive("OPTIONS", 2000), "the OPTIONS reached the silent contact");
            writeScript(30000, 3600);
            assertEquals(List.of(), ((Map<?, ?>) server.rpc.call("cfg.reload")).get("not_applied"));
            assertNotNull(ua.receive("SIP/2.0 408", 10_000), "408 at the fr_timer the transaction started with");
            long took = (System.nanoTime() - started) / 1_000_000;
            assertTrue(took >= 1800 && took < 10_000, "timed out after " + took + " ms, fr_timer was 2000");
            ua.send(UdpPeer.request("OPTIONS", "sip:carol@127.0.0.1", ua.port(), "fr-2", 1, "z9hG4bKfr3", ""), sipPort);
            assertNotNull(silent.receive("OPTIONS", 2000));
            assertEquals(null, ua.receive("SIP/2.0 408", 5000), "a new transaction uses fr_timer 30 s");
        }
        assertTrue(server.log().contains("tm parameters changed"), "tm applied the change in place");
    }

    /** Kamailio's debug= sets the log level at boot and on cfg.reload: 3 shows debug lines, 1 hides them again. */
    @Test
    @Order(5)
    void debugSetsTheLogLevel() throws Exception {
        assertTrue(server.log().contains("debug=1: log level info"), "the boot applied debug=1");
        writeScript(30000, 3600, 3);
        server.rpc.call("cfg.reload");
        assertTrue(server.log().contains("debug=3: log level debug"));
        long before = debugLines();
        try (UdpPeer ua = new UdpPeer()) {
            strayResponse(ua, 1);
            assertTrue(SiphonServer.waitFor(5000, () -> debugLines() > before), "a debug line appears:"
                    + " the stray response is dropped with one");
            writeScript(30000, 3600, 1);
            server.rpc.call("cfg.reload");
            assertTrue(server.log().contains("debug=1: log level info"));
            long after = debugLines();
            strayResponse(ua, 2);
            for (int i = 0; i < 2; i++) { // two round trips behind the stray response
                ua.send(UdpPeer.request("OPTIONS", "sip:127.0.0.1:" + sipPort, ua.port(), "dbg-" + i, 1, "z9hG4bKdbg" + i, ""), sipPort);
                assertNotNull(ua.receive("SIP/2.0 200", 3000));
            }
            assertEquals(after, debugLines(), "no debug line once debug=1 is back");
        }
    }

    /**
     * Issue 26: {@code GET /metrics} parses with the Prometheus project's own text-format parser
     * ({@code prometheus_client.parser}, Debian's python3-prometheus-client), and its request
     * counter moves with traffic.
     */
    @Test
    @Order(6)
    void metricsParseWithThePrometheusParser() throws Exception {
        Map<String, String> types = new java.util.HashMap<>();
        Map<String, Double> before = parsedMetrics(types);
        assertEquals("counter", types.get("siphon_core_rcv_requests"), "statistics that count are counters: " + types);
        assertEquals("gauge", types.get("siphon_sip_workers"));
        assertTrue(types.keySet().stream().anyMatch(n -> n.startsWith("jvm_memory")), "JVM metrics: " + types.keySet());
        assertTrue(types.keySet().stream().anyMatch(n -> n.startsWith("jvm_gc")), "GC metrics: " + types.keySet());
        assertEquals(1.0, before.get("siphon_module_state{module=\"tm\",state=\"active\"}"), "per-module state gauges");
        double requests = before.get("siphon_core_rcv_requests_total");
        try (UdpPeer ua = new UdpPeer()) {
            for (int i = 0; i < 3; i++) {
                ua.send(UdpPeer.request("OPTIONS", "sip:127.0.0.1:" + sipPort, ua.port(), "prom-" + i, 1, "z9hG4bKprom" + i, ""),
                        sipPort);
                assertNotNull(ua.receive("SIP/2.0 200", 3000));
            }
        }
        double after = parsedMetrics(new java.util.HashMap<>()).get("siphon_core_rcv_requests_total");
        assertTrue(after >= requests + 3, "3 OPTIONS counted: " + requests + " -> " + after);
    }

    /** The samples of one scrape as the Prometheus parser reads them; the families' types into {@code types}. */
    static Map<String, Double> parsedMetrics(Map<String, String> types) throws Exception {
        var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://127.0.0.1:" + server.rpcPort + "/metrics")).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        Path scrape = Files.createTempFile(dir, "scrape", ".txt");
        Files.writeString(scrape, r.body());
        Path parser = dir.resolve("parse.py");
        if (!Files.exists(parser)) {
            try (InputStream in = LiveOperationsIT.class.getResourceAsStream("/prometheus/parse.py")) {
                Files.write(parser, in.readAllBytes());
            }
        }
        // Debian's python3 (a pyenv python on the PATH may lack the package)
        SiphonServer.Run run = SiphonServer.run(List.of("/usr/bin/python3", parser.toString(), scrape.toString()));
        assertEquals(0, run.exitCode(), "the Prometheus parser reads the scrape (apt-get install python3-prometheus-client): "
                + run.err());
        Map<String, Double> samples = new java.util.HashMap<>();
        for (String line : run.out().split("\n")) {
            String[] f = line.split(" ");
            if (f[0].equals("TYPE")) {
                types.put(f[1], f[2]);
            } else if (f[0].equals("SAMPLE")) {
                samples.put(line.substring(7, line.lastIndexOf(' ')), Double.parseDouble(f[f.length - 1]));
            }
        }
        assertTrue(samples.size() > 50, "a full exposition: " + samples.size() + " samples");
        return samples;
    }

    /**
     * Bad input on the metrics port: garbage, a broken header, an oversized request line, another
     * method, another path: each gets its clear HTTP error (and garbage its connection closed),
     * HEAD gets headers only, a query string is ignored, and the server scrapes fine after.
     */
    @Test
    @Order(7)
    void malformedMetricsRequestsGetClearErrors() throws Exception {
        String garbage = raw("\u0000\u0001GARBAGE \u00ff\r\n\r\n");
        assertTrue(garbage.startsWith("HTTP/1.1 400 "), garbage);
        assertTrue(raw("GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n").startsWith("HTTP/1.1 400 "));
        assertTrue(raw("GET /metrics?" + "x".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n").startsWith("HTTP/1.1 4"),
                "an oversized request line is refused");
        String delete = raw("DELETE /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(delete.startsWith("HTTP/1.1 405 ") && delete.toLowerCase(java.util.Locale.ROOT).contains("allow: get, head"), delete);
        assertTrue(raw("GET /metricz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 404 "));
        String query = raw("GET /metrics?name[]=siphon_core_rcv_requests_total HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(query.startsWith("HTTP/1.1 200 ") && query.contains("siphon_core_rcv_requests_total"), "the query is ignored");
        String head = raw("HEAD /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(head.startsWith("HTTP/1.1 200 "), head);
        assertFalse(head.contains("siphon_core"), "HEAD: headers only");
        assertTrue(parsedMetrics(new java.util.HashMap<>()).containsKey("siphon_core_rcv_requests_total"), "still serving");
    }

    /** Sends {@code request} to the RPC/metrics port and reads until the server closes (10 s at most). */
    static String raw(String request) throws IOException {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", server.rpcPort)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Kamailio's corex.debug sets the default level as debug= does (3 shows debug lines); log.level
     * refuses unknown levels, modules and malformed logger names with errors that say what is wanted.
     */
    @Test
    @Order(8)
    void corexDebugAndLogLevelBadInput() throws Exception {
        assertEquals("info", server.rpc.call("corex.debug"));
        long before = debugLines();
        assertEquals("debug", server.rpc.call("corex.debug", 3));
        try (UdpPeer ua = new UdpPeer()) {
            strayResponse(ua, 10);
            assertTrue(SiphonServer.waitFor(5000, () -> debugLines() > before), "corex.debug 3: a debug line appears");
        } finally {
            assertEquals("info", server.rpc.call("corex.debug", 1));
        }
        RpcClient.RpcError level = assertThrows(RpcClient.RpcError.class, () -> server.rpc.call("log.level", "tm", "verbose"));
        assertTrue(level.getMessage().contains("level must be trace, debug, info, warn or error, not verbose"), level.getMessage());
        RpcClient.RpcError module = assertThrows(RpcClient.RpcError.class, () -> server.rpc.call("log.level", "nosuchmod", "debug"));
        assertTrue(module.getMessage().contains("no module nosuchmod is installed"), module.getMessage());
        RpcClient.RpcError name = assertThrows(RpcClient.RpcError.class, () -> server.rpc.call("log.level", "not a logger!", "debug"));
        assertTrue(name.getMessage().contains("not a logger name"), name.getMessage());
        RpcClient.RpcError arity = assertThrows(RpcClient.RpcError.class, () -> server.rpc.call("log.level", "tm", "debug", "x"));
        assertTrue(arity.getMessage().contains("[logger [level]]"), arity.getMessage());
        assertEquals("info", ((Map<?, ?>) server.rpc.call("log.level", "tm")).get("level"), "nothing changed");
    }

    /** A response whose top Via names another host: the core drops it, with a debug line. */
    static void strayResponse(UdpPeer ua, int i) throws IOException {
        ua.send("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKstray" + i + "\r\n"
                + "From: <sip:a@127.0.0.1>;tag=s" + i + "\r\nTo: <sip:b@127.0.0.1>;tag=t" + i + "\r\n"
                + "Call-ID: stray-" + i + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n", sipPort);
    }

    static long debugLines() {
        try {
            return server.log().lines().filter(l -> l.contains(" DEBUG ")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    static long tmStat(String key) {
        try {
            return ((Number) ((Map<?, ?>) server.rpc.call("tm.stats")).get(key)).longValue();
        } catch (Exception e) {
            return -1;
        }
    }

    static String errors(String log) {
        return String.join("\n", log.lines().filter(l -> l.contains("ERROR")).limit(20).toList());
    }
}
