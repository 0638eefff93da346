package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Module dispatcher in the real distribution with Java UDP destinations on 127.0.0.1 that answer
 * every request they get (200, 503 or nothing) and keep what they got: the xavp fields
 * ({@code $xavp(_dsdst_=>…)}, {@code $xavp(_dsctx_=>cnt)}) as the script writes them into the
 * request before and after each {@code ds_next_dst}, RPC set_state and reload, unknown and empty
 * sets, keepalives marking a silent destination (timeouts, not a closed port) down and up again
 * (the event routes log it). DispatcherSippIT covers the algorithms, failover, forking, garbage
 * and live reloads with SIPp calls.
 */
class DispatcherIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int sipPort;
    static int altPort;
    static Path list;
    static final Map<String, Dest> DESTS = new HashMap<>();
    static final AtomicInteger CSEQ = new AtomicInteger();

    /** A destination answering each request with {@code code} (0: not at all), counting what it got. */
    static final class Dest extends Thread implements AutoCloseable {
        final DatagramSocket socket;
        volatile int code;
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger options = new AtomicInteger();
        final Set<String> callIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** Every X-Ds-* header line of the requests it got. */
        final List<String> dsHeaders = new java.util.concurrent.CopyOnWriteArrayList<>();
        /** The source ports of the requests it got (which of Siphon's sockets sent them). */
        final Set<Integer> fromPorts = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Dest(int code) throws Exception {
            socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            this.code = code;
            setDaemon(true);
            start();
        }

        String uri() {
            return "sip:127.0.0.1:" + socket.getLocalPort();
        }

        @Override
        public void run() {
            byte[] buf = new byte[65536];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    String m = new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
                    if (m.startsWith("SIP/2.0") || m.startsWith("ACK")) {
                        continue;
                    }
                    boolean ping = m.startsWith("OPTIONS");
                    int c = code;
                    if (c == 0) {
                        continue;
                    }
                    if (ping) {
                        options.incrementAndGet();
                    } else {
                        requests.incrementAndGet();
                        fromPorts.add(p.getPort());
                        callIds.add(UdpPeer.header(m, "Call-ID"));
                        for (String line : m.split("\r\n")) {
                            if (line.startsWith("X-Ds-")) {
                                dsHeaders.add(line);
                            }
                        }
                    }
                    StringBuilder sb = new StringBuilder("SIP/2.0 " + c + " Answer\r\n");
                    for (String line : m.split("\r\n")) {
                        String l = line.toLowerCase();
                        if (l.startsWith("via:") || l.startsWith("from:") || l.startsWith("call-id:") || l.startsWith("cseq:")) {
                            sb.append(line).append("\r\n");
                        } else if (l.startsWith("to:")) {
                            sb.append(line).append(l.contains(";tag=") ? "" : ";tag=d" + socket.getLocalPort()).append("\r\n");
                        }
                    }
                    sb.append("X-Dest: ").append(socket.getLocalPort()).append("\r\nContent-Length: 0\r\n\r\n");
                    byte[] out = sb.toString().getBytes(StandardCharsets.UTF_8);
                    socket.send(new DatagramPacket(out, out.length, p.getSocketAddress()));
                } catch (SocketException e) {
                    return;
                } catch (Exception e) {
                    // keep answering
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        for (String n : List.of("a", "b", "c", "f503", "fsilent", "fok", "probe", "sock")) {
            DESTS.put(n, new Dest(n.equals("f503") ? 503 : n.equals("fsilent") ? 0 : 200));
        }
        list = dir.resolve("dispatcher.list");
        sipPort = SiphonServer.freePort();
        altPort = SiphonServer.freePort();
        Files.writeString(list, listText(""));
        Path cfg = dir.resolve("ds.cfg");
        Files.writeString(cfg, """
                #!KAMAILIO
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "textops.so"
                loadmodule "dispatcher.so"
                modparam("tm", "fr_timer", 1000)
                modparam("dispatcher", "list_file", "LIST")
                modparam("dispatcher", "flags", 2)
                modparam("dispatcher", "reload_delta", 0)
                modparam("dispatcher", "ds_ping_interval", 1)
                modparam("dispatcher", "ds_probing_mode", 3)
                modparam("dispatcher", "ds_probing_threshold", 2)

                request_route {
                    if ($rU == "rr") { $var(ok) = ds_select_dst("1", "4"); }
                    else if ($rU == "hash") { $var(ok) = ds_select_dst("1", "0"); }
                    else if ($rU == "fail") { $var(ok) = ds_select_dst("2", "8"); }
                    else if ($rU == "fork") { $var(ok) = ds_select_dst("1", "12"); }
                    else if ($rU == "unknown") { $var(ok) = ds_select_dst("9", "4"); }
                    else if ($rU == "empty") { $var(ok) = ds_select_dst("3", "4"); }
                    else if ($rU == "sock") { $var(ok) = ds_select_dst("6", "4"); }
                    else if ($rU == "routes") { $var(alg) = 4; $var(ok) = ds_select_routes("9=4;4=$var(alg)", "dst"); }
                    else { $var(ok) = ds_select_dst("4", "4"); }
                    if ($var(ok) != 1) { sl_send_reply("404", "No destination"); exit; }
                    append_hf("X-Ds-First: $xavp(_dsdst_=>uri)|$xavp(_dsdst_=>grp)|$xavp(_dsdst_=>attrs)|$xavp(_dsctx_=>cnt)|$xavp(_dsdst_[1]=>uri)|$xavp(_dsdst_[2]=>attrs)\\r\\n");
                    t_on_failure("NEXT");
                    t_relay();
                }

                failure_route[NEXT] {
                    if (t_check_status("503") || t_branch_timeout()) {
                        if (ds_next_dst()) {
                            append_hf("X-Ds-Next: $xavp(_dsdst_=>uri)|$xavp(_dsdst_=>grp)|$xavp(_dsdst_=>attrs)|$xavp(_dsctx_=>cnt)\\r\\n");
                            t_on_failure("NEXT");
                            t_relay();
                            exit;
                        }
                    }
                }

                event_route[dispatcher:dst-down] { xlog("L_WARN", "DS-DOWN $ru\\n"); }
                event_route[dispatcher:dst-up] { xlog("L_WARN", "DS-UP $ru\\n"); }
                """.replace("LIST", list.toString()));
        server = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + sipPort,
                "-l", "udp:127.0.0.1:" + altPort);
        assertTrue(SiphonServer.waitFor(20_000, () -> {
            try {
                return server.log().contains("routing script")
                        && ((Map<?, ?>) server.rpc.call("dispatcher.list")).get("NRSETS") instanceof Number n && n.intValue() == 6;
            } catch (Exception e) {
                return false;
            }
        }), "dispatcher never listed its 6 sets");
        try (UdpPeer probe = new UdpPeer()) { // the script runs once it answers an unknown set with its own 404
            AtomicInteger n = new AtomicInteger();
            assertTrue(SiphonServer.waitFor(20_000, () -> {
                try {
                    return UdpPeer.status(message(probe, "unknown", "boot-" + n.incrementAndGet())) == 404;
                } catch (Exception e) {
                    return false;
                }
            }), "the script never ran\n" + tail());
        }
    }

    static String listText(String extra) {
        return "# test sets\n"
                + "1 " + DESTS.get("a").uri() + " 0 0 weight=50\n"
                + "1 " + DESTS.get("b").uri() + "\n"
                + "1 " + DESTS.get("c").uri() + "\n"
                + "2 " + DESTS.get("f503").uri() + " 0 3\n"
                + "2 " + DESTS.get("fsilent").uri() + " 0 2\n"
                + "2 " + DESTS.get("fok").uri() + " 0 1 tag=last\n"
                + "3 sip:127.0.0.1:9 4\n"
                + "4 " + DESTS.get("a").uri() + "\n"
                + "5 " + DESTS.get("probe").uri() + " 8\n"
                + "6 " + DESTS.get("sock").uri() + " 0 0 socket=udp:127.0.0.1:" + altPort + "\n" + extra;
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        DESTS.values().forEach(Dest::close);
    }

    /** Sends a MESSAGE to {@code user} and returns the final reply. */
    static String message(UdpPeer caller, String user, String callId) throws Exception {
        caller.send(UdpPeer.request("MESSAGE", "sip:" + user + "@127.0.0.1:" + sipPort, caller.port(), callId, CSEQ.incrementAndGet(),
                "z9hG4bK" + callId + "." + CSEQ.get(), ""), sipPort);
        String reply;
        do {
            reply = caller.receive("SIP/2.0", 8000);
            assertTrue(reply != null, "no reply to " + callId + "\n" + tail());
        } while (UdpPeer.status(reply) < 200);
        return reply;
    }

    static String tail() {
        try {
            String log = server.log();
            return log.substring(Math.max(0, log.length() - 3000));
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void setStateThenReload() throws Exception {
        try (UdpPeer caller = new UdpPeer()) {
            Dest a = DESTS.get("a");
            assertEquals("Ok", server.rpc.call("dispatcher.set_state", "i", 1, a.uri()));
            int before = a.requests.get();
            for (int i = 0; i < 6; i++) {
                assertEquals(200, UdpPeer.status(message(caller, "rr", "rr-i-" + i)));
            }
            assertEquals(before, a.requests.get(), "an inactive destination gets nothing");
            assertEquals("IX", flags(1, a.uri()));
            server.rpc.call("dispatcher.set_state", "a", 1, "all");
            assertEquals("AX", flags(1, a.uri()));
            var e = assertThrows(RpcClient.RpcError.class, () -> server.rpc.call("dispatcher.set_state", "a", 1, "sip:nowhere"));
            assertTrue(e.getMessage().contains("not found"), e.getMessage());
            var bad = assertThrows(RpcClient.RpcError.class, () -> server.rpc.call("dispatcher.set_state", "x", 1, "all"));
            assertTrue(bad.getMessage().contains("state"), bad.getMessage());
            int back = a.requests.get();
            for (int i = 0; i < 3; i++) {
                assertEquals(200, UdpPeer.status(message(caller, "rr", "rr-a-" + i)));
            }
            assertEquals(back + 1, a.requests.get(), "active again: its turn in three");

            Files.writeString(list, listText("7 " + DESTS.get("b").uri() + "\n"));
            assertTrue(String.valueOf(server.rpc.call("dispatcher.reload")).startsWith("reloaded 11 destinations"));
            assertEquals(7L, ((Number) ((Map<?, ?>) server.rpc.call("dispatcher.list")).get("NRSETS")).longValue());
            Files.writeString(list, listText(""));
            server.rpc.call("dispatcher.reload");
        }
    }

    @Test
    void xavpFieldsFollowTheFailover() throws Exception {
        try (UdpPeer caller = new UdpPeer()) {
            String reply = message(caller, "fail", "fo-1");
            assertEquals(200, UdpPeer.status(reply), reply);
            Dest ok = DESTS.get("fok");
            assertEquals(String.valueOf(ok.socket.getLocalPort()), UdpPeer.header(reply, "X-Dest"));
            assertEquals(1, DESTS.get("f503").requests.get());
            String f503 = DESTS.get("f503").uri();
            String silent = DESTS.get("fsilent").uri();
            // before the first relay: the current one (priority 3), 3 selected, the last one's attrs
            assertTrue(DESTS.get("f503").dsHeaders.contains("X-Ds-First: " + f503 + "|2||3|" + silent + "|tag=last"),
                    DESTS.get("f503").dsHeaders.toString());
            // the last failover describes the destination it went to; cnt stays the number selected
            assertTrue(ok.dsHeaders.contains("X-Ds-Next: " + ok.uri() + "|2|tag=last|3"), ok.dsHeaders.toString());
        }
    }

    @Test
    void theSocketAttributeChoosesTheSendingSocket() throws Exception {
        try (UdpPeer caller = new UdpPeer()) {
            assertEquals(200, UdpPeer.status(message(caller, "sock", "sock-1")));
            assertEquals(Set.of(altPort), DESTS.get("sock").fromPorts, "sent from the socket the destination's attrs name");
        }
    }

    @Test
    void unknownAndEmptySets() throws Exception {
        try (UdpPeer caller = new UdpPeer()) {
            assertEquals(404, UdpPeer.status(message(caller, "unknown", "bad-1")), "unknown set");
            assertEquals(404, UdpPeer.status(message(caller, "empty", "bad-2")), "set with only a disabled destination");
            String routed = message(caller, "routes", "routes-1");
            assertEquals(200, UdpPeer.status(routed), "ds_select_routes with a variable, past an unknown set\n" + tail());
            assertEquals(String.valueOf(DESTS.get("a").socket.getLocalPort()), UdpPeer.header(routed, "X-Dest"));
        }
    }

    @Test
    void probingMarksASilentDestinationDownAndUp() throws Exception {
        Dest p = DESTS.get("probe");
        assertTrue(SiphonServer.waitFor(5000, () -> p.options.get() > 0), "no keepalive came");
        p.code = 0;
        assertTrue(SiphonServer.waitFor(10_000, () -> "IP".equals(flagsQuietly(5, p.uri()))), "never marked down");
        assertTrue(SiphonServer.waitFor(5000, () -> logHas("DS-DOWN " + p.uri())), "dst-down did not run\n" + tail());
        p.code = 200;
        assertTrue(SiphonServer.waitFor(10_000, () -> "AP".equals(flagsQuietly(5, p.uri()))), "never marked up");
        assertTrue(SiphonServer.waitFor(5000, () -> logHas("DS-UP " + p.uri())), "dst-up did not run\n" + tail());
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
            return flags(set, uri);
        } catch (Exception e) {
            return null;
        }
    }

    static String flags(int set, String uri) throws Exception {
        Map<?, ?> l = (Map<?, ?>) server.rpc.call("dispatcher.list");
        for (Object r : (List<?>) l.get("RECORDS")) {
            Map<?, ?> s = (Map<?, ?>) ((Map<?, ?>) r).get("SET");
            if (((Number) s.get("ID")).intValue() != set) {
                continue;
            }
            for (Object t : (List<?>) s.get("TARGETS")) {
                Map<?, ?> d = (Map<?, ?>) ((Map<?, ?>) t).get("DEST");
                if (uri.equals(d.get("URI"))) {
                    return (String) d.get("FLAGS");
                }
            }
        }
        return null;
    }
}
