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

    @BeforeAll
    static void start() throws Exception {
        sipPort = SiphonServer.freePort();
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
        String text;
        try (InputStream in = LiveOperationsIT.class.getResourceAsStream("/live/live-ops.cfg")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Files.writeString(cfg, text.replace("FR_TIMER", Integer.toString(frTimer))
                .replace("DEFAULT_EXPIRES", Integer.toString(defaultExpires)));
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
        int uasPort = SiphonServer.freePort();
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
        assertTrue(modules.containsAll(List.of("tm", "sl", "rr", "registrar", "maxfwd", "sanity", "siputils")), modules.toString());
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
    }

    @Test
    @Order(2)
    void removingAModuleTheScriptCallsIsRefusedWithItsLines() throws Exception {
        RpcClient.RpcError refused = assertThrows(RpcClient.RpcError.class,
                () -> server.rpc.call("module.uninstall", "maxfwd"));
        assertEquals(409L, refused.code);
        assertTrue(refused.getMessage().contains("live-ops.cfg:") && refused.getMessage().contains("mf_process_maxfwd_header()"),
                refused.getMessage());
        assertTrue(settled(), "the refusal changed nothing");
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
