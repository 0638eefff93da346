package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stateful proxy (module tm) in the real distribution, driven by SIPp and by UDP peers
 * written for each scenario: a call with Record-Route, UDP caller to TCP callee, 486 →
 * failure_route → voicemail, CANCEL → 487, a parallel fork answered with the best reply, 408 on
 * a silent callee, retransmissions absorbed, a 302 redirect and the UAC API. Every scenario
 * ends with tm.stats showing no transaction left.
 */
class StatefulProxyIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int sipPort;
    static int voicemailPort;

    @BeforeAll
    static void start() throws Exception {
        sipPort = SiphonServer.freePort();
        voicemailPort = SiphonServer.freePort();
        Path cfg = dir.resolve("tm-test.cfg");
        Files.writeString(cfg, script(voicemailPort));
        server = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + sipPort,
                "-l", "tcp:127.0.0.1:" + sipPort);
        // the script loaded, every call bound, every module active (with the script's modparams)
        server.awaitSettled();
    }

    static String script(int voicemail) {
        return """
                #!KAMAILIO
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "rr.so"
                loadmodule "siputils.so"
                loadmodule "textops.so"
                loadmodule "maxfwd.so"
                loadmodule "pike.so"
                loadmodule "htable.so"
                modparam("htable", "htable", "hits=>size=8;autoexpire=600")
                modparam("htable", "htable", "other=>initval=100")
                modparam("pike", "sampling_time_unit", 2)
                modparam("pike", "reqs_density_per_unit", 20)
                modparam("tm", "fr_timer", 2000)
                modparam("tm", "fr_inv_timer", 3000)
                modparam("tm", "wt_timer", 500)

                request_route {
                    if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
                    if (is_method("OPTIONS") && uri == myself) {
                        if (!pike_check_req()) { xlog("L_WARN", "flood from $si\\n"); exit; }
                        append_to_reply("X-Count: $shtinc(hits=>$si)\\r\\n");
                        sl_send_reply("200", "Alive");
                        exit;
                    }
                    if (is_method("CANCEL")) {
                        if (t_check_trans()) { t_relay(); }
                        exit;
                    }
                    if (!is_method("ACK")) {
                        if (t_precheck_trans()) { t_check_trans(); exit; }
                        t_check_trans();
                    }
                    if (has_totag()) {
                        loose_route();
                        t_relay();
                        exit;
                    }
                    if (is_method("INVITE")) { record_route(); }
                    if ($rU == "redirect") {
                        append_branch("sip:moved@127.0.0.1:5999");
                        append_to_reply("X-Redirected-By: siphon\r\n");
                        t_reply("302", "Moved Temporarily");
                        exit;
                    }
                    if (is_present_hf("X-Fork")) { append_branch($hdr(X-Fork)); }
                    if ($rU == "busy") { t_on_failure("VOICEMAIL"); }
                    t_on_branch("TAG");
                    t_on_reply("REPLY");
                    if (!t_relay()) { sl_reply_error(); }
                }

                branch_route[TAG] {
                    append_hf("X-Branch: $T_branch_idx\\r\\n");
                }

                onreply_route[REPLY] {
                    if (t_check_status("18[0-9]")) { append_hf("X-Caller: $T_req($fu) on branch $T_branch_idx\\r\\n"); }
                }

                failure_route[VOICEMAIL] {
                    if (t_is_canceled()) { exit; }
                    if (t_check_status("486|408")) {
                        append_hf("X-Failed-With: $T_rpl($rs) $T_reply_code\\r\\n");
                        rewritehostport("127.0.0.1:VM_PORT");
                        append_branch();
                        t_relay();
                        exit;
                    }
                }
                """.replace("VM_PORT", Integer.toString(voicemail));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void noTransactionLeft() throws Exception {
        boolean drained = SiphonServer.waitFor(15_000, () -> {
            try {
                Map<?, ?> s = (Map<?, ?>) server.rpc.call("tm.stats");
                Map<?, ?> h = (Map<?, ?>) server.rpc.call("tm.hash_stats");
                return ((Number) s.get("current")).intValue() == 0 && ((Number) h.get("client_transactions")).intValue() == 0;
            } catch (Exception e) {
                return false;
            }
        });
        assertTrue(drained, "transactions left: " + server.rpc.call("tm.list") + " " + server.rpc.call("tm.hash_stats"));
    }

    private static String tail() {
        try {
            String log = server.log();
            Files.writeString(Path.of("target/stateful-proxy-server.log"), log);
            return log.substring(Math.max(0, log.length() - 4000));
        } catch (Exception e) {
            return e.toString();
        }
    }

    private String proxy() {
        return "127.0.0.1:" + sipPort;
    }

    @Test
    void callsThroughTheProxyWithSipp() throws Exception {
        Path work = Files.createDirectories(dir.resolve("basic"));
        Path scenario = Sipp.scenario(work, "uac_dialog.xml");
        int uasPort = SiphonServer.freePort();
        Sipp.Running uas = Sipp.uas(work, Sipp.scenario(work, "uas_dialog.xml"), "127.0.0.1", uasPort, "u1", 3)
                .awaitListening(uasPort, "u1");
        long before = ((Number) ((Map<?, ?>) server.rpc.call("tm.stats")).get("2xx")).longValue();
        Sipp.Running uac = Sipp.uac(work, scenario, "127.0.0.1", SiphonServer.freePort(), proxy(),
                "bob@127.0.0.1:" + uasPort, "u1", 3);
        assertEquals(0, uac.await(40), uac.log());
        assertEquals(0, uas.await(20), uas.log());
        long after = ((Number) ((Map<?, ?>) server.rpc.call("tm.stats")).get("2xx")).longValue();
        assertEquals(6, after - before, "3 INVITEs and 3 BYEs ended with a 2xx through their transactions");
    }

    @Test
    void udpCallerReachesTcpCallee() throws Exception {
        Path work = Files.createDirectories(dir.resolve("tcp"));
        Path scenario = Sipp.scenario(work, "uac_dialog.xml");
        int uasPort = SiphonServer.freePort();
        // the callee fails the call unless the INVITE carries a double Record-Route: TCP side first, then UDP
        Path uasScenario = Sipp.scenario(work, "uas_dialog.xml");
        Files.writeString(uasScenario, Files.readString(uasScenario).replace("<recv request=\"INVITE\" crlf=\"true\"/>", """
                <recv request="INVITE" crlf="true">
                    <action>
                      <ereg regexp="&lt;sip:127\\.0\\.0\\.1:[0-9]+;transport=tcp;r2=on;lr&gt;, &lt;sip:127\\.0\\.0\\.1:[0-9]+;r2=on;lr&gt;"
                            search_in="hdr" header="Record-Route:" check_it="true" assign_to="drr"/>
                    </action>
                  </recv>
                  <Reference variables="drr"/>"""));
        Sipp.Running uas = Sipp.uas(work, uasScenario, "127.0.0.1", uasPort, "t1", 2).awaitListening(uasPort, "t1");
        Sipp.Running uac = Sipp.uac(work, scenario, "127.0.0.1", SiphonServer.freePort(), proxy(),
                "bob@127.0.0.1:" + uasPort + ";transport=tcp", "u1", 2);
        assertEquals(0, uac.await(40), uac.log());
        assertEquals(0, uas.await(20), uas.log());
    }

    @Test
    void busyCalleeGoesToVoicemailThroughFailureRoute() throws Exception {
        Path work = Files.createDirectories(dir.resolve("voicemail"));
        Path scenario = Sipp.scenario(work, "uac_dialog.xml");
        // the voicemail fails the call unless the INVITE says why it came ($T_rpl and $T_reply_code in failure_route)
        Path vmScenario = Sipp.scenario(work, "uas_dialog.xml");
        Files.writeString(vmScenario, Files.readString(vmScenario).replace("<recv request=\"INVITE\" crlf=\"true\"/>", """
                <recv request="INVITE" crlf="true">
                    <action>
                      <ereg regexp="486 486" search_in="hdr" header="X-Failed-With:" check_it="true" assign_to="why"/>
                    </action>
                  </recv>
                  <Reference variables="why"/>"""));
        Sipp.Running voicemail = Sipp.uas(work, vmScenario, "127.0.0.1", voicemailPort, "u1", 1)
                .awaitListening(voicemailPort, "u1");
        try (UdpPeer busy = new UdpPeer()) {
            AtomicInteger invites = new AtomicInteger();
            Thread answering = new Thread(() -> {
                try {
                    String inv = busy.receive("INVITE", 10_000);
                    if (inv != null) {
                        invites.incrementAndGet();
                        busy.reply(inv, 486, "Busy Here", "busy1", sipPort);
                    }
                    busy.drain(1000); // the proxy's ACK of the 486
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            answering.start(); // the busy callee's socket is bound already: the INVITE waits in it
            Sipp.Running uac = Sipp.uac(work, scenario, "127.0.0.1", SiphonServer.freePort(), proxy(),
                    "busy@127.0.0.1:" + busy.port(), "u1", 1);
            assertEquals(0, uac.await(40), uac.log());
            assertEquals(0, voicemail.await(20), voicemail.log());
            answering.join(15_000);
            assertEquals(1, invites.get());
        }
    }

    @Test
    void cancelGets487AndReachesTheCallee() throws Exception {
        try (UdpPeer caller = new UdpPeer(); UdpPeer callee = new UdpPeer()) {
            String ruri = "sip:bob@127.0.0.1:" + callee.port();
            String invite = UdpPeer.request("INVITE", ruri, caller.port(), "cancel-1", 1, "z9hG4bKc1", "");
            caller.send(invite, sipPort);
            String in = callee.receive("INVITE", 3000);
            assertNotNull(in, () -> "no INVITE at the callee; server log:\n" + tail());
            callee.reply(in, 180, "Ringing", "callee1", sipPort);
            String ringing = caller.receive("SIP/2.0 180", 3000);
            assertNotNull(ringing);
            assertEquals("sip:alice@127.0.0.1 on branch 0", UdpPeer.header(ringing, "X-Caller"),
                    () -> "onreply_route edits the reply it relays; $T_req reads the request\n" + ringing + tail());
            caller.send(UdpPeer.request("CANCEL", ruri, caller.port(), "cancel-1", 1, "z9hG4bKc1", ""), sipPort);
            String cancelOk = caller.receive("SIP/2.0 200", 3000);
            assertNotNull(cancelOk);
            assertTrue(cancelOk.contains("CANCEL"), cancelOk);
            String cancel = callee.receive("CANCEL", 3000);
            assertNotNull(cancel, "the CANCEL reached the callee");
            assertEquals(UdpPeer.header(in, "Via").split(",")[0].trim(), UdpPeer.header(cancel, "Via"),
                    "the CANCEL has the INVITE's top Via only");
            callee.reply(cancel, 200, "OK", "callee1", sipPort);
            callee.reply(in, 487, "Request Terminated", "callee1", sipPort);
            String ack = callee.receive("ACK", 3000);
            assertNotNull(ack, "the proxy ACKs the 487 hop by hop");
            String terminated = caller.receive("SIP/2.0 487", 3000);
            assertNotNull(terminated);
            String tag = UdpPeer.header(terminated, "To");
            caller.send(UdpPeer.request("ACK", ruri, caller.port(), "cancel-1", 1, "z9hG4bKc1", "")
                    .replaceFirst("To: <[^>]*>", "To: " + tag.replace("$", "\\$")), sipPort);
            assertNull(callee.receive("ACK", 700), "the caller's ACK of the 487 is absorbed");
        }
    }

    @Test
    void parallelForkAnswersTheBestReply() throws Exception {
        try (UdpPeer caller = new UdpPeer(); UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
            String ruri = "sip:bob@127.0.0.1:" + a.port();
            caller.send(UdpPeer.request("INVITE", ruri, caller.port(), "fork-1", 1, "z9hG4bKf1",
                    "X-Fork: sip:carol@127.0.0.1:" + b.port() + "\r\n"), sipPort);
            String inA = a.receive("INVITE", 3000);
            String inB = b.receive("INVITE", 3000);
            assertNotNull(inA);
            assertNotNull(inB);
            assertEquals("0", UdpPeer.header(inA, "X-Branch"));
            assertEquals("1", UdpPeer.header(inB, "X-Branch"));
            assertEquals(1, inA.split("X-Branch:").length - 1, "branch_route changes stay on their branch: " + inA);
            assertEquals(1, inB.split("X-Branch:").length - 1, inB);
            assertTrue(inB.startsWith("INVITE sip:carol@127.0.0.1:" + b.port()), inB);
            assertNotNull(UdpPeer.header(inA, "Record-Route"));
            assertFalse(UdpPeer.header(inA, "Via").equals(UdpPeer.header(inB, "Via")), "each branch has its own Via branch");
            a.reply(inA, 503, "Service Unavailable", "a1", sipPort);
            assertNotNull(a.receive("ACK", 3000));
            assertNull(caller.receive("SIP/2.0 503", 500), "nothing final goes up while a branch is pending");
            b.reply(inB, 486, "Busy Here", "b1", sipPort);
            assertNotNull(b.receive("ACK", 3000));
            String fin = caller.receive("SIP/2.0 4", 3000);
            assertNotNull(fin);
            assertEquals(486, UdpPeer.status(fin), "4xx beats 5xx (RFC 3261 §16.7)");
            caller.send(UdpPeer.request("ACK", ruri, caller.port(), "fork-1", 1, "z9hG4bKf1", "")
                    .replaceFirst("To: <[^>]*>", "To: " + UdpPeer.header(fin, "To")), sipPort);
        }
    }

    /** SIPp's uac_final.xml expecting {@code code}, with extra header lines (or none). */
    private Sipp.Running sippExpecting(Path work, String service, int code, String headers) throws Exception {
        Path scenario = Sipp.scenario(work, "uac_final.xml");
        Files.writeString(scenario, Files.readString(scenario).replace("FINAL", Integer.toString(code))
                .replace("      FORK_HEADER\n", headers.isEmpty() ? "" : "      " + headers + "\n"));
        return Sipp.uac(work, scenario, "127.0.0.1", SiphonServer.freePort(), proxy(), service, "u1", 1);
    }

    /** A callee on its own thread: answers the first INVITE with {@code code}, then keeps what else comes. */
    private static Thread answering(UdpPeer peer, int code, List<String> seen) {
        Thread t = new Thread(() -> {
            try {
                String inv = peer.receive("INVITE", 10_000);
                if (inv != null) {
                    seen.add(inv);
                    peer.reply(inv, code, "Answer " + code, "t" + code, sipPort);
                    seen.addAll(peer.drain(1500));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        t.start();
        return t;
    }

    @Test
    void sippCallerCancelsAndGets487() throws Exception {
        Path work = Files.createDirectories(dir.resolve("sipp-cancel"));
        try (UdpPeer callee = new UdpPeer()) {
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread t = new Thread(() -> {
                try {
                    String inv = callee.receive("INVITE", 10_000);
                    callee.reply(inv, 180, "Ringing", "c1", sipPort);
                    String cancel = callee.receive("CANCEL", 5000);
                    seen.add(cancel);
                    callee.reply(cancel, 200, "OK", "c1", sipPort);
                    callee.reply(inv, 487, "Request Terminated", "c1", sipPort);
                    seen.addAll(callee.drain(1500));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            t.start();
            Sipp.Running uac = Sipp.uac(work, Sipp.scenario(work, "uac_cancel.xml"), "127.0.0.1", SiphonServer.freePort(),
                    proxy(), "bob@127.0.0.1:" + callee.port(), "u1", 1);
            assertEquals(0, uac.await(30), uac.log());
            t.join(10_000);
            assertTrue(seen.get(0).startsWith("CANCEL "), seen.toString());
            assertEquals(1, seen.stream().filter(m -> m.startsWith("ACK ")).count(), "the 487 is ACKed once, by the proxy");
        }
    }

    @Test
    void sippCallerIsRedirected() throws Exception {
        Sipp.Running uac = sippExpecting(Files.createDirectories(dir.resolve("sipp-302")), "redirect@127.0.0.1:" + sipPort,
                302, "");
        assertEquals(0, uac.await(30), uac.log());
    }

    @Test
    void sippCallerGets408FromASilentCallee() throws Exception {
        try (UdpPeer silent = new UdpPeer()) {
            Sipp.Running uac = sippExpecting(Files.createDirectories(dir.resolve("sipp-408")),
                    "bob@127.0.0.1:" + silent.port(), 408, "");
            assertEquals(0, uac.await(30), uac.log());
        }
    }

    @Test
    void sippCallerGetsTheBestReplyOfAFork() throws Exception {
        try (UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
            List<String> seenA = new java.util.concurrent.CopyOnWriteArrayList<>();
            List<String> seenB = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread ta = answering(a, 503, seenA);
            Thread tb = answering(b, 486, seenB);
            Sipp.Running uac = sippExpecting(Files.createDirectories(dir.resolve("sipp-fork")), "bob@127.0.0.1:" + a.port(),
                    486, "X-Fork: sip:carol@127.0.0.1:" + b.port());
            assertEquals(0, uac.await(30), uac.log());
            ta.join(10_000);
            tb.join(10_000);
            assertEquals(1, seenA.stream().filter(m -> m.startsWith("ACK ")).count(), seenA.toString());
            assertEquals(1, seenB.stream().filter(m -> m.startsWith("ACK ")).count(), seenB.toString());
        }
    }

    @Test
    void pikeStopsAFloodingSourceWhileAnotherIsServed() throws Exception {
        try (UdpPeer flooder = new UdpPeer("127.0.0.2"); UdpPeer other = new UdpPeer("127.0.0.3")) {
            String self = "sip:127.0.0.1:" + sipPort;
            for (int i = 0; i < 60; i++) {
                flooder.send(UdpPeer.request("OPTIONS", self, flooder.port(), "flood-" + i, 1, "z9hG4bKf" + i, ""), sipPort);
            }
            long answered = flooder.drain(1500).stream().filter(m -> m.startsWith("SIP/2.0 200")).count();
            assertTrue(answered >= 20 && answered <= 40, "a flood is cut after the density (20 a unit): " + answered);
            for (int i = 0; i < 5; i++) {
                other.send(UdpPeer.request("OPTIONS", self, other.port(), "calm-" + i, 1, "z9hG4bKc" + i, ""), sipPort);
                assertNotNull(other.receive("SIP/2.0 200", 2000), "another source keeps being served");
            }
            List<?> hot = (List<?>) server.rpc.call("pike.top", "HOT");
            assertEquals("127.0.0.2", ((Map<?, ?>) hot.get(0)).get("ip"), hot.toString());
            assertEquals(1, hot.size(), hot.toString());
        }
    }

    @Test
    void htableCountsSurviveAnUpdateOfTheModule() throws Exception {
        try (UdpPeer peer = new UdpPeer("127.0.0.4")) {
            String self = "sip:127.0.0.1:" + sipPort;
            List<String> counts = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                peer.send(UdpPeer.request("OPTIONS", self, peer.port(), "ht-" + i, 1, "z9hG4bKh" + i, ""), sipPort);
                counts.add(UdpPeer.header(peer.receive("SIP/2.0 200", 2000), "X-Count"));
            }
            assertEquals(List.of("1", "2"), counts);
            assertEquals(Map.of("item", Map.of("name", "127.0.0.4", "value", 2L)), server.rpc.call("htable.get", "hits", "127.0.0.4"));
            List<?> tables = (List<?>) server.rpc.call("htable.listTables");
            assertTrue(tables.toString().contains("name=other") && tables.toString().contains("initval=100"),
                    "both htable definitions of the repeated modparam arrived: " + tables);

            Object old = server.activeBundle("htable");
            server.rpc.call("module.update", "htable");
            server.awaitUpdated("htable", old);
            peer.send(UdpPeer.request("OPTIONS", self, peer.port(), "ht-3", 1, "z9hG4bKh3", ""), sipPort);
            assertEquals("3", UdpPeer.header(peer.receive("SIP/2.0 200", 2000), "X-Count"),
                    "the table lives in the core: the new version goes on counting");
        }
    }

    @Test
    void updatingTmDuringARingingCallFailsNothing() throws Exception {
        try (UdpPeer caller = new UdpPeer(); UdpPeer callee = new UdpPeer()) {
            String ruri = "sip:bob@127.0.0.1:" + callee.port();
            caller.send(UdpPeer.request("INVITE", ruri, caller.port(), "update-1", 1, "z9hG4bKu1", ""), sipPort);
            String in = callee.receive("INVITE", 3000);
            assertNotNull(in);
            callee.reply(in, 180, "Ringing", "u1", sipPort);
            assertNotNull(caller.receive("SIP/2.0 180", 3000));

            Object old = server.activeBundle("tm");
            server.rpc.call("module.update", "tm");
            server.awaitUpdated("tm", old); // the old tm drains: it keeps the ringing call

            callee.reply(in, 200, "OK", "u1", sipPort);
            String ok = caller.receive("SIP/2.0 200", 3000);
            assertNotNull(ok, "the 200 of a call older than the module still reaches the caller");
            String to = UdpPeer.header(ok, "To");
            String route = "Route: " + UdpPeer.header(ok, "Record-Route") + "\r\n";
            String contact = "sip:peer@127.0.0.1:" + callee.port();
            caller.send(UdpPeer.request("ACK", contact, caller.port(), "update-1", 1, "z9hG4bKu2", route)
                    .replaceFirst("To: <[^>]*>", "To: " + to), sipPort);
            assertNotNull(callee.receive("ACK", 3000));
            caller.send(UdpPeer.request("BYE", contact, caller.port(), "update-1", 2, "z9hG4bKu3", route)
                    .replaceFirst("To: <[^>]*>", "To: " + to), sipPort);
            String bye = callee.receive("BYE", 3000);
            assertNotNull(bye, "the new tm relays the BYE");
            callee.reply(bye, 200, "OK", "u1", sipPort);
            assertNotNull(caller.receive("SIP/2.0 200", 3000));
            // the old version's timers are gone: no late 408 to the caller, no CANCEL to the callee
            assertEquals(List.of(), caller.drain(4000), "nothing more for the caller");
            assertTrue(callee.drain(500).stream().noneMatch(m -> m.startsWith("CANCEL")));
            // a new call: the script's tm pseudo-variables ($T_req, $T_branch_idx in onreply_route) follow the new version
            caller.send(UdpPeer.request("INVITE", ruri, caller.port(), "update-2", 1, "z9hG4bKu4", ""), sipPort);
            String second = callee.receive("INVITE", 3000);
            assertNotNull(second);
            callee.reply(second, 180, "Ringing", "u2", sipPort);
            String ringing = caller.receive("SIP/2.0 180", 3000);
            assertNotNull(ringing);
            assertEquals("sip:alice@127.0.0.1 on branch 0", UdpPeer.header(ringing, "X-Caller"), ringing);
            callee.reply(second, 486, "Busy Here", "u2", sipPort);
            String busy = caller.receive("SIP/2.0 486", 3000);
            assertNotNull(busy);
            caller.send(UdpPeer.request("ACK", ruri, caller.port(), "update-2", 1, "z9hG4bKu4", "")
                    .replaceFirst("To: <[^>]*>", "To: " + UdpPeer.header(busy, "To")), sipPort);
            String log = server.log();
            assertFalse(log.contains("a SIP task failed") || log.contains("NoClassDefFoundError"),
                    "the old version's transactions ended with it: " + tail());
        }
    }

    @Test
    void challengesOfEveryBranchReachTheCaller() throws Exception {
        try (UdpPeer caller = new UdpPeer(); UdpPeer a = new UdpPeer(); UdpPeer b = new UdpPeer()) {
            String ruri = "sip:bob@127.0.0.1:" + a.port();
            caller.send(UdpPeer.request("INVITE", ruri, caller.port(), "auth-1", 1, "z9hG4bKa1",
                    "X-Fork: sip:carol@127.0.0.1:" + b.port() + "\r\n"), sipPort);
            String inA = a.receive("INVITE", 3000);
            String inB = b.receive("INVITE", 3000);
            assertNotNull(inA);
            assertNotNull(inB);
            a.reply(inA, 407, "Proxy Authentication Required", "a1", sipPort,
                    "Proxy-Authenticate: Digest realm=\"a.example\", nonce=\"n1\"\r\n");
            b.reply(inB, 407, "Proxy Authentication Required", "b1", sipPort,
                    "Proxy-Authenticate: Digest realm=\"b.example\", nonce=\"n2\"\r\n");
            String fin = caller.receive("SIP/2.0 4", 3000);
            assertNotNull(fin);
            assertEquals(407, UdpPeer.status(fin));
            assertTrue(fin.contains("realm=\"a.example\"") && fin.contains("realm=\"b.example\""),
                    "RFC 3261 §16.7 step 7: both challenges go up in one 407\n" + fin);
            caller.send(UdpPeer.request("ACK", ruri, caller.port(), "auth-1", 1, "z9hG4bKa1", "")
                    .replaceFirst("To: <[^>]*>", "To: " + UdpPeer.header(fin, "To")), sipPort);
        }
    }

    @Test
    void silentCalleeGets408AfterRetransmissions() throws Exception {
        try (UdpPeer caller = new UdpPeer(); UdpPeer silent = new UdpPeer()) {
            String ruri = "sip:bob@127.0.0.1:" + silent.port();
            caller.send(UdpPeer.request("INVITE", ruri, caller.port(), "silent-1", 1, "z9hG4bKs1", ""), sipPort);
            assertNotNull(caller.receive("SIP/2.0 100", 2000));
            String timeout = caller.receive("SIP/2.0 408", 5000);
            assertNotNull(timeout, "408 after fr_timer (2 s)");
            caller.send(UdpPeer.request("ACK", ruri, caller.port(), "silent-1", 1, "z9hG4bKs1", "")
                    .replaceFirst("To: <[^>]*>", "To: " + UdpPeer.header(timeout, "To")), sipPort);
            List<String> seen = silent.drain(300);
            List<String> invites = seen.stream().filter(m -> m.startsWith("INVITE")).toList();
            // Timer A over UDP: sent at 0, 0.5 and 1.5 s before fr_timer (2 s) fired
            assertEquals(3, invites.size(), seen.toString());
            assertEquals(1, invites.stream().map(m -> UdpPeer.header(m, "Via")).distinct().count(),
                    "retransmissions are the same request");
        }
    }

    @Test
    void retransmissionsAreAbsorbed() throws Exception {
        try (UdpPeer caller = new UdpPeer(); UdpPeer callee = new UdpPeer()) {
            String ruri = "sip:bob@127.0.0.1:" + callee.port();
            String invite = UdpPeer.request("INVITE", ruri, caller.port(), "retr-1", 1, "z9hG4bKr1", "");
            caller.send(invite, sipPort);
            caller.send(invite, sipPort);
            String in = callee.receive("INVITE", 3000);
            assertNotNull(in);
            callee.reply(in, 180, "Ringing", "c1", sipPort);
            assertNotNull(caller.receive("SIP/2.0 180", 3000));
            caller.send(invite, sipPort);
            assertNotNull(caller.receive("SIP/2.0 180", 3000), "a retransmission gets the last provisional reply");
            callee.reply(in, 200, "OK", "c1", sipPort);
            String ok = caller.receive("SIP/2.0 200", 3000);
            assertNotNull(ok);
            String to = UdpPeer.header(ok, "To");
            String route = "Route: " + UdpPeer.header(ok, "Record-Route") + "\r\n";
            String contact = "sip:peer@127.0.0.1:" + callee.port();
            caller.send(UdpPeer.request("ACK", contact, caller.port(), "retr-1", 1, "z9hG4bKr2", route)
                    .replaceFirst("To: <[^>]*>", "To: " + to), sipPort);
            String bye = UdpPeer.request("BYE", contact, caller.port(), "retr-1", 2, "z9hG4bKr3", route)
                    .replaceFirst("To: <[^>]*>", "To: " + to);
            caller.send(bye, sipPort);
            caller.send(bye, sipPort);
            List<String> atCallee = callee.drain(1000);
            assertEquals(0, atCallee.stream().filter(m -> m.startsWith("INVITE")).count(), "no second INVITE: " + atCallee);
            assertEquals(1, atCallee.stream().filter(m -> m.startsWith("ACK")).count(), atCallee.toString());
            List<String> byes = atCallee.stream().filter(m -> m.startsWith("BYE")).toList();
            // the proxy's own retransmissions (Timer E, same Via branch) may come; the caller's second BYE must not
            assertEquals(1, byes.stream().map(m -> UdpPeer.header(m, "Via")).distinct().count(),
                    "the callee sees the BYE once: " + atCallee);
            callee.reply(byes.get(0), 200, "OK", "c1", sipPort);
            assertNotNull(caller.receive("SIP/2.0 200", 3000));
            // the BYE's transaction has settled and still shows in tm.list while it waits out T4 (500 ms here)
            String list = String.valueOf(server.rpc.call("tm.list"));
            String from = "<sip:alice@127.0.0.1>;tag=a" + "retr-1".hashCode();
            assertTrue(list.contains("method=BYE, callid=retr-1, cseq=2, from=" + from + ", state=COMPLETED, status=200"),
                    "tm.list during the wait: " + list);
            caller.send(bye, sipPort);
            assertNotNull(caller.receive("SIP/2.0 200", 3000), "a late retransmission gets the final reply again");
            assertNull(callee.receive("BYE", 500));
        }
    }

    @Test
    void redirectServerAnswers302WithTheBranches() throws Exception {
        try (UdpPeer caller = new UdpPeer()) {
            String ruri = "sip:redirect@127.0.0.1:" + sipPort;
            caller.send(UdpPeer.request("INVITE", ruri, caller.port(), "redir-1", 1, "z9hG4bKd1", ""), sipPort);
            String moved = caller.receive("SIP/2.0", 3000);
            assertNotNull(moved);
            assertEquals(302, UdpPeer.status(moved), moved);
            assertEquals("<sip:moved@127.0.0.1:5999>", UdpPeer.header(moved, "Contact"));
            assertEquals("siphon", UdpPeer.header(moved, "X-Redirected-By"), "append_to_reply reaches t_reply");
            caller.send(UdpPeer.request("ACK", ruri, caller.port(), "redir-1", 1, "z9hG4bKd1", "")
                    .replaceFirst("To: <[^>]*>", "To: " + UdpPeer.header(moved, "To")), sipPort);
            assertNull(caller.receive("SIP/2.0 302", 1200), "the ACK stopped the 302's retransmissions");
        }
    }

    @Test
    void uacApiSendsRequestsStatefully() throws Exception {
        try (UdpPeer peer = new UdpPeer(); UdpPeer silent = new UdpPeer()) {
            Thread answering = new Thread(() -> {
                try {
                    String opt = peer.receive("OPTIONS", 5000);
                    if (opt != null) {
                        peer.reply(opt, 200, "OK", "p1", sipPort);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            answering.start();
            Map<?, ?> ok = (Map<?, ?>) server.rpc.call("tm.t_uac_start", "OPTIONS", "sip:peer@127.0.0.1:" + peer.port(),
                    ".", ".", "From: <sip:siphon@127.0.0.1>;tag=u1\r\nTo: <sip:peer@127.0.0.1>");
            assertEquals(200L, ((Number) ok.get("code")).longValue());
            answering.join(5000);
            Map<?, ?> timeout = (Map<?, ?>) server.rpc.call("tm.t_uac_start", "OPTIONS",
                    "sip:nobody@127.0.0.1:" + silent.port(), ".", ".", "");
            assertEquals(408L, ((Number) timeout.get("code")).longValue());
            List<String> sent = silent.drain(100);
            // Timer E over UDP before fr_timer (2 s): sent at 0, 0.5 and 1.5 s, one request
            assertEquals(3, sent.size(), sent.toString());
            assertEquals(1, sent.stream().map(m -> UdpPeer.header(m, "Via")).distinct().count());
            assertTrue(sent.get(0).startsWith("OPTIONS sip:nobody@127.0.0.1:" + silent.port()), sent.get(0));
        }
    }
}
