package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Module dispatcher in the real distribution with SIPp calls (INVITE, 200, ACK, BYE) to SIPp UAS
 * destinations on 127.0.0.1, counted by SIPp's own statistics: round robin 10/10/10, Call-ID hash
 * keeping a whole dialog (INVITE, ACK and BYE each routed by the hash) on one destination, weights
 * over 1,000 calls, parallel forking, failover on 503 and on timeout, a destination answering
 * garbage, keepalives marking a stopped SIPp down and a restarted one up (both event routes, the
 * keepalive latency statistics), and dispatcher.reload, a refused broken list, module.update
 * dispatcher and cfg.reload with a changed dispatcher parameter while a SIPp UAC runs calls at a
 * steady rate (0 failed calls; states and latency statistics kept). DispatcherIT covers the rest with Java peers (xavp fields, set_state,
 * ds_select_routes, unknown and empty sets). The destinations' ports stay for the whole class; each test starts its
 * own SIPp processes on them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DispatcherSippIT {

    static final int PING_INTERVAL_S = 1;
    static final int PROBING_THRESHOLD = 2;
    static final int FR_TIMER_MS = 1000;

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int sipPort;
    static Path list;
    static int p1;
    static int p2;
    static int p3;
    static int probePort;
    static Peer silent;
    static Peer junk;
    static Path cfg;

    /** A raw UDP destination: says nothing ({@code junk} false) or answers every datagram with garbage. */
    static final class Peer extends Thread implements AutoCloseable {
        final DatagramSocket socket;
        final boolean junk;
        final Set<String> invites = ConcurrentHashMap.newKeySet();
        final Set<String> options = ConcurrentHashMap.newKeySet();
        final Random random = new Random(21);

        Peer(boolean junk) throws Exception {
            socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            this.junk = junk;
            setDaemon(true);
            start();
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void run() {
            byte[] buf = new byte[65536];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    String m = new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
                    String callId = UdpPeer.header(m, "Call-ID");
                    if (m.startsWith("INVITE")) {
                        invites.add(callId);
                    } else if (m.startsWith("OPTIONS")) {
                        options.add(callId);
                    }
                    if (junk) {
                        for (byte[] out : garbage(m)) {
                            socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                        }
                    }
                } catch (SocketException e) {
                    return;
                } catch (Exception e) {
                    // keep going
                }
            }
        }

        /** Replies no parser should accept, some with the request's own Via, Call-ID and CSeq. */
        List<byte[]> garbage(String request) {
            StringBuilder copied = new StringBuilder();
            for (String line : request.split("\r\n")) {
                String l = line.toLowerCase();
                if (l.startsWith("via:") || l.startsWith("from:") || l.startsWith("to:") || l.startsWith("call-id:")) {
                    copied.append(line).append("\r\n");
                }
            }
            byte[] noise = new byte[300];
            random.nextBytes(noise);
            List<byte[]> out = new ArrayList<>();
            out.add(noise);
            out.add("SIP/2.0 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.add(("SIP/2.0 200 OK\r\n" + copied + "CSeq: x INVITE\r\nContent-Length: 5000\r\n\r\nv=0").getBytes(StandardCharsets.UTF_8));
            out.add(("SIP/2.0 999 Nonsense\r\n" + copied + "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.add(("SIP/2.0 2OO Okay\r\n" + copied + "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.add("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.add(("SIP/2.0 180 Ringing\r\n" + copied.toString().replace("Via:", "Via: SIP/2.0/UDP ;;;\r\nVia:")
                    + "CSeq: 1\r\nContent-Length: -1\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            return out;
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        p1 = SiphonServer.freePort();
        p2 = SiphonServer.freePort();
        p3 = SiphonServer.freePort();
        probePort = SiphonServer.freePort();
        silent = new Peer(false);
        junk = new Peer(true);
        list = dir.resolve("dispatcher.list");
        Files.writeString(list, listText(""));
        sipPort = SiphonServer.freePort();
        cfg = dir.resolve("ds-sipp.cfg");
        Files.writeString(cfg, """
                #!KAMAILIO
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "rr.so"
                loadmodule "dispatcher.so"
                modparam("tm", "fr_timer", FR_TIMER)
                modparam("dispatcher", "list_file", "LIST")
                modparam("dispatcher", "flags", 2)
                modparam("dispatcher", "reload_delta", 0)
                modparam("dispatcher", "ds_ping_interval", PING_INTERVAL)
                modparam("dispatcher", "ds_probing_mode", 3)
                modparam("dispatcher", "ds_probing_threshold", THRESHOLD)
                modparam("dispatcher", "ds_ping_latency_stats", 1)

                request_route {
                    if (is_method("CANCEL")) {
                        if (t_check_trans()) { t_relay(); }
                        exit;
                    }
                    if (!is_method("ACK")) {
                        if (t_precheck_trans()) { t_check_trans(); exit; }
                        t_check_trans();
                    }
                    if (has_totag()) {
                        # "hash" dialogs are not record-routed: ACK and BYE find their callee by the hash again
                        if ($rU == "hash") { ds_select_dst("1", "0"); }
                        else { loose_route(); }
                        t_relay();
                        exit;
                    }
                    if ($rU != "hash") { record_route(); }
                    if ($rU == "rr") { $var(ok) = ds_select_dst("1", "4"); }
                    else if ($rU == "hash") { $var(ok) = ds_select_dst("1", "0"); }
                    else if ($rU == "weight") { $var(ok) = ds_select_dst("1", "9"); }
                    else if ($rU == "fork") { $var(ok) = ds_select_dst("1", "12"); }
                    else if ($rU == "fail") { $var(ok) = ds_select_dst("2", "8"); }
                    else if ($rU == "junk") { $var(ok) = ds_select_dst("3", "8"); }
                    else { $var(ok) = -1; }
                    if ($var(ok) != 1) { sl_send_reply("404", "No destination"); exit; }
                    t_on_failure("NEXT");
                    if (!t_relay()) { sl_reply_error(); }
                }

                failure_route[NEXT] {
                    if (ds_next_dst()) {
                        xlog("L_INFO", "DS-NEXT $ci $du after $T_reply_code\\n");
                        t_on_failure("NEXT");
                        t_relay();
                        exit;
                    }
                }

                event_route[dispatcher:dst-down] { xlog("L_WARN", "DS-DOWN $ru\\n"); }
                event_route[dispatcher:dst-up] { xlog("L_WARN", "DS-UP $ru\\n"); }
                """.replace("LIST", list.toString()).replace("FR_TIMER", Integer.toString(FR_TIMER_MS))
                .replace("PING_INTERVAL", Integer.toString(PING_INTERVAL_S))
                .replace("THRESHOLD", Integer.toString(PROBING_THRESHOLD)));
        server = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + sipPort);
        assertTrue(SiphonServer.waitFor(20_000, () -> {
            try {
                return Boolean.TRUE.equals(((Map<?, ?>) server.rpc.call("cfg.status")).get("loaded"))
                        && ((Map<?, ?>) server.rpc.call("dispatcher.list")).get("NRSETS") instanceof Number n && n.intValue() == 5;
            } catch (Exception e) {
                return false;
            }
        }), "dispatcher never listed its 5 sets\n" + tail());
    }

    static String listText(String extra) {
        return "# DispatcherSippIT\n"
                + "1 sip:127.0.0.1:" + p1 + " 0 0 weight=50\n"
                + "1 sip:127.0.0.1:" + p2 + " 0 0 weight=30\n"
                + "1 sip:127.0.0.1:" + p3 + " 0 0 weight=20\n"
                + "2 sip:127.0.0.1:" + p1 + " 0 3\n"
                + "2 sip:127.0.0.1:" + silent.port() + " 0 2\n"
                + "2 sip:127.0.0.1:" + p2 + " 0 1\n"
                + "3 sip:127.0.0.1:" + junk.port() + " 0 2\n"
                + "3 sip:127.0.0.1:" + p3 + " 0 1\n"
                + "5 sip:127.0.0.1:" + probePort + " 8\n"
                + "6 sip:127.0.0.1:" + junk.port() + " 8\n"
                + extra;
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (silent != null) {
            silent.close();
        }
        if (junk != null) {
            junk.close();
        }
    }

    // ---- SIPp, with its statistics file (SuccessfulCall/FailedCall) dumped every second

    /** A SIPp process bounded by a call count, a global timeout and timeout(1), with a statistics file. */
    static Sipp.Running sipp(Path work, String name, int seconds, List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("timeout", Integer.toString(seconds + 20), "sipp"));
        cmd.addAll(args);
        cmd.addAll(List.of("-nostdin", "-timeout", seconds + "s", "-recv_timeout", "5000", "-trace_err",
                "-error_file", work.resolve(name + "-errors.log").toString(),
                "-trace_stat", "-stf", work.resolve(name + ".csv").toString(), "-fd", "1"));
        Path log = work.resolve(name + ".log");
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return new Sipp.Running(p, log);
    }

    /** A UAS on 127.0.0.1:{@code port} running {@code scenario}; {@code name} names its files. */
    static Sipp.Running uas(Path work, Path scenario, int port, int calls) throws IOException {
        return sipp(work, "uas-" + port, 40, List.of("-sf", scenario.toString(), "-i", "127.0.0.1",
                "-p", Integer.toString(port), "-t", "u1", "-m", Integer.toString(calls)));
    }

    /** A UAC calling {@code user} through the server, {@code calls} calls at {@code rate} a second. */
    static Sipp.Running uac(Path work, Path scenario, String user, int calls, int rate) throws IOException {
        String proxy = "127.0.0.1:" + sipPort;
        return sipp(work, "uac", 40, List.of(proxy, "-sf", scenario.toString(), "-rsa", proxy,
                "-s", user + "@" + proxy, "-i", "127.0.0.1", "-p", Integer.toString(SiphonServer.freePort()),
                "-t", "u1", "-m", Integer.toString(calls), "-r", Integer.toString(rate)));
    }

    /** A column of the last line of SIPp's statistics file ({@code SuccessfulCall(C)}, {@code FailedCall(C)}); 0 before any. */
    static long stat(Path work, String name, String column) {
        try {
            List<String> lines = Files.readAllLines(work.resolve(name + ".csv"));
            if (lines.size() < 2) {
                return 0;
            }
            List<String> head = List.of(lines.get(0).split(";"));
            String[] last = lines.get(lines.size() - 1).split(";");
            int i = head.indexOf(column);
            return i >= 0 && i < last.length ? Long.parseLong(last[i].trim()) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    static long ok(Path work, int port) {
        return stat(work, "uas-" + port, "SuccessfulCall(C)");
    }

    /** Waits until the three UAS of set 1 completed {@code total} calls between them, stops them, returns their counts. */
    static long[] finish(Path work, long total, Sipp.Running... uases) throws Exception {
        int[] ports = {p1, p2, p3};
        boolean done = SiphonServer.waitFor(15_000, () -> ok(work, p1) + ok(work, p2) + ok(work, p3) == total);
        for (Sipp.Running u : uases) {
            u.stop();
        }
        long[] n = new long[ports.length];
        for (int i = 0; i < ports.length; i++) {
            n[i] = ok(work, ports[i]);
        }
        assertTrue(done, "the destinations completed " + List.of(n[0], n[1], n[2]) + " calls, not " + total);
        return n;
    }

    static void assertAllCallsOk(Path work, Sipp.Running uac, long calls) throws Exception {
        int rc = uac.await(60);
        assertTrue(SiphonServer.waitFor(3000, () -> stat(work, "uac", "SuccessfulCall(C)") + stat(work, "uac", "FailedCall(C)") == calls),
                "the UAC's statistics are incomplete");
        assertEquals(0, stat(work, "uac", "FailedCall(C)"), "SIPp's failed calls\n" + uac.log() + tail());
        assertEquals(calls, stat(work, "uac", "SuccessfulCall(C)"));
        assertEquals(0, rc, uac.log());
    }

    static Path work(String name) throws IOException {
        return Files.createDirectories(dir.resolve(name));
    }

    static Path scenario(Path work, String name, Function<String, String> edit) throws IOException {
        Path p = Sipp.scenario(work, name);
        Files.writeString(p, edit.apply(Files.readString(p)));
        return p;
    }

    // ---- the tests

    @Test
    @Order(1)
    void roundRobinGives10EachFor30Calls() throws Exception {
        Path work = work("rr");
        Path uasScenario = Sipp.scenario(work, "uas_dialog.xml");
        Sipp.Running a = uas(work, uasScenario, p1, 1000);
        Sipp.Running b = uas(work, uasScenario, p2, 1000);
        Sipp.Running c = uas(work, uasScenario, p3, 1000);
        Sipp.Running uac = uac(work, Sipp.scenario(work, "uac_dialog.xml"), "rr", 30, 30);
        assertAllCallsOk(work, uac, 30);
        long[] n = finish(work, 30, a, b, c);
        assertEquals(List.of(10L, 10L, 10L), List.of(n[0], n[1], n[2]));
    }

    @Test
    @Order(2)
    void callIdHashKeepsWholeDialogsOnOneDestination() throws Exception {
        Path work = work("hash");
        Path uasScenario = Sipp.scenario(work, "uas_dialog.xml");
        Sipp.Running a = uas(work, uasScenario, p1, 1000);
        Sipp.Running b = uas(work, uasScenario, p2, 1000);
        Sipp.Running c = uas(work, uasScenario, p3, 1000);
        // ACK and BYE go to the server with the R-URI of the INVITE and no Route: the script hashes
        // their Call-ID again; a destination that did not get the INVITE fails the call
        Sipp.Running uac = uac(work, Sipp.scenario(work, "uac_via_proxy.xml"), "hash", 30, 30);
        assertAllCallsOk(work, uac, 30);
        long[] n = finish(work, 30, a, b, c);
        assertTrue(java.util.Arrays.stream(n).filter(x -> x > 0).count() > 1, "30 Call-IDs all hashed to one: " + List.of(n[0], n[1], n[2]));
    }

    @Test
    @Order(3)
    void weightsSplit1000CallsWithin5Percent() throws Exception {
        Path work = work("weight");
        Path uasScenario = Sipp.scenario(work, "uas_dialog.xml");
        Sipp.Running a = uas(work, uasScenario, p1, 2000);
        Sipp.Running b = uas(work, uasScenario, p2, 2000);
        Sipp.Running c = uas(work, uasScenario, p3, 2000);
        Sipp.Running uac = uac(work, Sipp.scenario(work, "uac_dialog.xml"), "weight", 1000, 200);
        assertAllCallsOk(work, uac, 1000);
        long[] n = finish(work, 1000, a, b, c);
        long[] want = {500, 300, 200};
        for (int i = 0; i < 3; i++) {
            assertTrue(Math.abs(n[i] - want[i]) <= want[i] * 5 / 100, "weights 50/30/20 over 1,000 calls gave " + List.of(n[0], n[1], n[2]));
        }
    }

    @Test
    @Order(4)
    void parallelForkingRingsTheWholeSet() throws Exception {
        Path work = work("fork");
        Path busy = scenario(work, "ds_uas_reply.xml", s -> s.replace("CODE", "486"));
        // the one that answers waits a little so that both 486 come first (no CANCEL to a SIPp that expects none)
        Path answering = scenario(work, "uas_dialog.xml", s -> s.replace("<send retrans=\"500\">", "<pause milliseconds=\"300\"/>\n  <send retrans=\"500\">"));
        Sipp.Running a = uas(work, busy, p1, 1000);
        Sipp.Running b = uas(work, busy, p2, 1000);
        Sipp.Running c = uas(work, answering, p3, 1000);
        Sipp.Running uac = uac(work, Sipp.scenario(work, "uac_dialog.xml"), "fork", 3, 3);
        assertAllCallsOk(work, uac, 3);
        assertTrue(SiphonServer.waitFor(10_000, () -> ok(work, p1) == 3 && ok(work, p2) == 3 && ok(work, p3) == 3),
                "every destination got every call: " + List.of(ok(work, p1), ok(work, p2), ok(work, p3)));
        a.stop();
        b.stop();
        c.stop();
    }

    @Test
    @Order(5)
    void failsOverOn503AndOnTimeout() throws Exception {
        Path work = work("fail");
        Sipp.Running refusing = uas(work, scenario(work, "ds_uas_reply.xml", s -> s.replace("CODE", "503")), p1, 1000);
        Sipp.Running good = uas(work, Sipp.scenario(work, "uas_dialog.xml"), p2, 1000);
        long t0 = System.nanoTime();
        Sipp.Running uac = uac(work, Sipp.scenario(work, "uac_dialog.xml"), "fail", 4, 4);
        assertAllCallsOk(work, uac, 4);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(SiphonServer.waitFor(5000, () -> ok(work, p1) == 4 && ok(work, p2) == 4),
                "503 then the good one: " + ok(work, p1) + " refused, " + ok(work, p2) + " answered");
        assertEquals(4, silent.invites.size(), "each call went to the silent destination after the 503: " + silent.invites);
        assertTrue(millis >= FR_TIMER_MS, "the silent destination was waited for (fr_timer) before the next: " + millis + " ms");
        refusing.stop();
        good.stop();
    }

    @Test
    @Order(6)
    void garbageFromADestinationIsSurvived() throws Exception {
        Path work = work("junk");
        int from = server.log().length(); // only what the garbage causes counts
        Sipp.Running good = uas(work, Sipp.scenario(work, "uas_dialog.xml"), p3, 1000);
        Sipp.Running uac = uac(work, Sipp.scenario(work, "uac_dialog.xml"), "junk", 3, 3);
        assertAllCallsOk(work, uac, 3);
        assertTrue(SiphonServer.waitFor(5000, () -> ok(work, p3) == 3), "the calls failed over to the good destination");
        assertEquals(3, junk.invites.size(), "each call tried the garbage destination first");
        good.stop();
        // keepalives answered with garbage (set 6) count as failures
        assertTrue(SiphonServer.waitFor(10_000, () -> "IP".equals(flagsQuietly(6, "sip:127.0.0.1:" + junk.port()))),
                "garbage answers to keepalives did not mark it down\n" + tail());
        assertTrue(server.alive());
        String log = server.log().substring(from);
        int at = Math.max(log.indexOf("\tat org.siphon"), log.indexOf("\tat io.netty"));
        assertFalse(at >= 0, () -> "an exception in the log:\n" + log.substring(Math.max(0, at - 1500), Math.min(log.length(), at + 1500)));
    }

    @Test
    @Order(7)
    void probingMarksAStoppedSippDownAndARestartedOneUp() throws Exception {
        Path work = work("probe");
        Path scenario = Sipp.scenario(work, "ds_uas_options.xml");
        String uri = "sip:127.0.0.1:" + probePort;
        Sipp.Running first = uas(work, scenario, probePort, 10_000);
        assertTrue(SiphonServer.waitFor(10_000, () -> ok(work, probePort) > 0 && "AP".equals(flagsQuietly(5, uri))),
                "the SIPp destination answered no keepalive: " + flagsQuietly(5, uri) + "\n" + first.log());
        Map<?, ?> latency = (Map<?, ?>) dest(5, uri).get("LATENCY");
        assertTrue(latency != null && ((Number) latency.get("MAX")).doubleValue() > 0
                && ((Number) latency.get("AVG")).doubleValue() > 0, "ds_ping_latency_stats: " + dest(5, uri));
        first.stop();
        long stopped = System.nanoTime();
        // a keepalive may leave just before the stop: threshold rounds after it, each answered within fr_timer
        long bound = PROBING_THRESHOLD * PING_INTERVAL_S * 1000L + FR_TIMER_MS + 1000;
        assertTrue(SiphonServer.waitFor(bound + 5000, () -> "IP".equals(flagsQuietly(5, uri))), "never marked down\n" + tail());
        long down = (System.nanoTime() - stopped) / 1_000_000;
        assertTrue(down <= bound, "marked down after " + down + " ms, more than " + bound);
        assertTrue(SiphonServer.waitFor(5000, () -> logHas("DS-DOWN " + uri)), "dst-down did not run\n" + tail());

        Files.deleteIfExists(work.resolve("uas-" + probePort + ".csv"));
        Sipp.Running again = uas(work, scenario, probePort, 10_000);
        long started = System.nanoTime();
        assertTrue(SiphonServer.waitFor(10_000, () -> "AP".equals(flagsQuietly(5, uri))), "never marked up\n" + tail());
        long up = (System.nanoTime() - started) / 1_000_000;
        assertTrue(up <= PING_INTERVAL_S * 1000L + FR_TIMER_MS + 1000, "marked up after " + up + " ms");
        assertTrue(SiphonServer.waitFor(5000, () -> logHas("DS-UP " + uri)), "dst-up did not run\n" + tail());
        again.stop();
        System.out.println("DispatcherSippIT: stopped SIPp marked down after " + down + " ms, restarted one up after " + up + " ms");
    }

    @Test
    @Order(8)
    void reloadsRefusalModuleUpdateAndCfgReloadUnderLoadFailNoCall() throws Exception {
        Path work = work("live");
        Path uasScenario = Sipp.scenario(work, "uas_dialog.xml");
        Sipp.Running a = uas(work, uasScenario, p1, 5000);
        Sipp.Running b = uas(work, uasScenario, p2, 5000);
        Sipp.Running c = uas(work, uasScenario, p3, 5000);
        int calls = 480;
        Sipp.Running uac = uac(work, Sipp.scenario(work, "uac_dialog.xml"), "rr", calls, 40);
        assertTrue(SiphonServer.waitFor(10_000, () -> stat(work, "uac", "SuccessfulCall(C)") >= 40), "calls never got going\n" + uac.log());

        for (int i = 0; i < 3; i++) {
            Files.writeString(list, listText("7 sip:127.0.0.1:" + p1 + ";r=" + i + "\n"));
            String answer = String.valueOf(server.rpc.call("dispatcher.reload"));
            assertTrue(answer.startsWith("reloaded 11 destinations in 6 sets"), answer);
        }
        int brokenLine = listText("").split("\n").length + 1;
        Files.writeString(list, listText("1 sip:127.0.0.1:" + p1 + " active\n"));
        var refused = assertThrows(RpcClient.RpcError.class, () -> server.rpc.call("dispatcher.reload"));
        assertTrue(refused.getMessage().contains(list + ":" + brokenLine + ":"), refused.getMessage());
        assertEquals(6, nrSets(), "the sets in use stay");

        long before = stat(work, "uac", "SuccessfulCall(C)");
        String probe = "sip:127.0.0.1:" + probePort;
        Map<?, ?> latencyBefore = (Map<?, ?>) dest(5, probe).get("LATENCY");
        Map<?, ?> updated = (Map<?, ?>) server.rpc.call("module.update", "dispatcher");
        assertEquals("active", updated.get("state"), updated.toString());
        assertEquals(6, nrSets(), "the new version goes on with the list in use");
        Map<?, ?> latencyAfter = (Map<?, ?>) dest(5, probe).get("LATENCY");
        assertTrue(((Number) latencyAfter.get("MAX")).doubleValue() >= ((Number) latencyBefore.get("MAX")).doubleValue()
                && ((Number) latencyAfter.get("TIMEOUT")).longValue() >= ((Number) latencyBefore.get("TIMEOUT")).longValue(),
                "latency statistics outlive the update: " + latencyBefore + " then " + latencyAfter);
        assertEquals(flagsQuietly(5, probe), String.valueOf(dest(5, probe).get("FLAGS")));
        assertTrue(SiphonServer.waitFor(10_000, () -> stat(work, "uac", "SuccessfulCall(C)") >= before + 40),
                "calls did not go on after the update");
        Files.writeString(list, listText(""));
        assertTrue(String.valueOf(server.rpc.call("dispatcher.reload")).startsWith("reloaded 10 destinations in 5 sets"));

        // a script reload with a changed dispatcher parameter: applied, states kept, calls go on
        String flags = flagsQuietly(5, probe);
        long beforeCfg = stat(work, "uac", "SuccessfulCall(C)");
        String script = Files.readString(cfg);
        Files.writeString(cfg, script.replace("\"ds_probing_threshold\", " + PROBING_THRESHOLD + ")",
                "\"ds_probing_threshold\", " + (PROBING_THRESHOLD + 1) + ")"));
        assertTrue(!Files.readString(cfg).equals(script), "the script's modparam changed");
        Map<?, ?> reloaded = (Map<?, ?>) server.rpc.call("cfg.reload");
        assertEquals(List.of(), reloaded.get("not_applied"), reloaded.toString());
        assertEquals(flags, flagsQuietly(5, probe), "states outlive cfg.reload");
        assertEquals(5, nrSets());
        assertTrue(SiphonServer.waitFor(10_000, () -> stat(work, "uac", "SuccessfulCall(C)") >= beforeCfg + 40),
                "calls did not go on after cfg.reload");
        Files.writeString(cfg, script);
        server.rpc.call("cfg.reload");
        assertTrue(stat(work, "uac", "SuccessfulCall(C)") < calls, "the UAC ended before the reloads were done: make it longer");

        assertAllCallsOk(work, uac, calls);
        long[] n = finish(work, calls, a, b, c);
        for (long x : n) {
            assertTrue(Math.abs(x - calls / 3) <= 2, "round robin through reloads and an update: " + List.of(n[0], n[1], n[2]));
        }
    }

    // ---- helpers

    static int nrSets() throws Exception {
        return ((Number) ((Map<?, ?>) server.rpc.call("dispatcher.list")).get("NRSETS")).intValue();
    }

    static String tail() {
        try {
            String log = server.log();
            return log.substring(Math.max(0, log.length() - 3000));
        } catch (Exception e) {
            return e.toString();
        }
    }

    static boolean logHas(String s) {
        try {
            return server.log().contains(s);
        } catch (Exception e) {
            return false;
        }
    }

    static String flagsQuietly(int set, String uri) {
        try {
            Map<?, ?> d = dest(set, uri);
            return d == null ? null : (String) d.get("FLAGS");
        } catch (Exception e) {
            return null;
        }
    }

    /** The DEST block of {@code dispatcher.list} for {@code uri} in {@code set}, or null. */
    static Map<?, ?> dest(int set, String uri) throws Exception {
        Map<?, ?> l = (Map<?, ?>) server.rpc.call("dispatcher.list");
        for (Object r : (List<?>) l.get("RECORDS")) {
            Map<?, ?> s = (Map<?, ?>) ((Map<?, ?>) r).get("SET");
            if (((Number) s.get("ID")).intValue() != set) {
                continue;
            }
            for (Object t : (List<?>) s.get("TARGETS")) {
                Map<?, ?> d = (Map<?, ?>) ((Map<?, ?>) t).get("DEST");
                if (uri.equals(d.get("URI"))) {
                    return d;
                }
            }
        }
        return null;
    }
}
