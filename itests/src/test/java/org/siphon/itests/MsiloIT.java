package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * msilo in the real distribution with a script in the style of Kamailio's msilo example: a
 * MESSAGE to a user who is not registered is stored ({@code m_store}) and answered 202; on
 * REGISTER the user's stored messages ({@code save} then {@code m_dump}) reach the UA in arrival
 * order; the one it answers 500 stays stored and comes again, alone, at the next REGISTER, also
 * after {@code module.update msilo} and {@code cfg.reload}.
 */
class MsiloIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int sipPort;
    static Path cfg;

    static final String SCRIPT = """
            #!KAMAILIO
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "maxfwd.so"
            loadmodule "registrar.so"
            loadmodule "msilo.so"
            modparam("tm", "fr_timer", 2000)
            modparam("msilo", "expire_time", EXPIRE)

            request_route {
                if (!mf_process_maxfwd_header("10")) {
                    sl_send_reply("483", "Too Many Hops");
                    exit;
                }
                if (method == "REGISTER") {
                    save("location");
                    if (m_dump()) {
                        xlog("L_INFO", "MSILO: offline messages dumped - if they were\\n");
                    } else {
                        xlog("L_INFO", "MSILO: no offline messages dumped\\n");
                    }
                    exit;
                }
                if (!lookup("location")) {
                    if (!t_newtran()) {
                        sl_reply_error();
                        exit;
                    }
                    if (method != "MESSAGE") {
                        t_reply("404", "Not found");
                        exit;
                    }
                    if (m_store("$ru")) {
                        t_reply("202", "Accepted");
                    } else {
                        t_reply("503", "Service Unavailable");
                    }
                    exit;
                }
                t_relay();
            }
            """;

    @BeforeAll
    static void start() throws Exception {
        cfg = dir.resolve("msilo.cfg");
        Files.writeString(cfg, SCRIPT.replace("EXPIRE", "3600"));
        sipPort = SiphonServer.freePort();
        server = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + sipPort);
        assertTrue(SiphonServer.waitFor(20_000, () -> {
            try {
                return Boolean.TRUE.equals(((Map<?, ?>) server.rpc.call("cfg.status")).get("loaded"));
            } catch (Exception e) {
                return false;
            }
        }), "the script loads: " + server.log());
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static long statistic(String name) throws Exception {
        return ((Number) ((Map<?, ?>) server.rpc.call("stats.get_statistics", name)).get(name)).longValue();
    }

    static boolean statisticIs(String name, long value) {
        try {
            return statistic(name) == value;
        } catch (Exception e) {
            return false;
        }
    }

    private static String message(UdpPeer alice, String callId, String text) throws Exception {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        alice.send("MESSAGE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + alice.port() + ";branch=z9hG4bK"
                + callId + ";rport\r\nMax-Forwards: 70\r\nFrom: \"Alïce\" <sip:alice@127.0.0.1>;tag=a" + callId + "\r\n"
                + "To: <sip:bob@127.0.0.1>\r\nCall-ID: " + callId + "\r\nCSeq: 1 MESSAGE\r\n"
                + "Content-Type: text/plain;charset=UTF-8\r\nContent-Length: " + body.length + "\r\n\r\n" + text, sipPort);
        return alice.receive("SIP/2.0", 3000);
    }

    private static String register(UdpPeer bob, String callId, int cseq) throws Exception {
        bob.send("REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + bob.port() + ";branch=z9hG4bK" + callId
                + cseq + ";rport\r\nMax-Forwards: 70\r\nFrom: <sip:bob@127.0.0.1>;tag=b" + callId + "\r\n"
                + "To: <sip:bob@127.0.0.1>\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq + " REGISTER\r\n"
                + "Contact: <sip:bob@127.0.0.1:" + bob.port() + ">\r\nExpires: " + (cseq > 100 ? 0 : 600) + "\r\n"
                + "Content-Length: 0\r\n\r\n", sipPort);
        return bob.receive("SIP/2.0", 3000);
    }

    private static String body(String message) {
        return message.substring(message.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void storedWhileOfflineDeliveredInOrderAndKeptOnFailure() throws Exception {
        try (UdpPeer alice = new UdpPeer(); UdpPeer bob = new UdpPeer()) {
            String accepted = message(alice, "m1", "first");
            assertNotNull(accepted, "a reply to the MESSAGE");
            assertEquals(202, UdpPeer.status(accepted), accepted);
            assertEquals(202, UdpPeer.status(message(alice, "m2", "second ✓")));
            assertEquals(2, statistic("msilo:stored_messages"));

            assertEquals(200, UdpPeer.status(register(bob, "r1", 1)));
            String first = bob.receive("MESSAGE", 5000);
            assertNotNull(first, "the first stored message is delivered on REGISTER");
            assertTrue(first.startsWith("MESSAGE sip:bob@127.0.0.1:" + bob.port() + " SIP/2.0"), first);
            assertTrue(body(first).endsWith("first"), first);
            assertTrue(body(first).startsWith("[Offline message - "), "add_date's prefix: " + first);
            assertNotNull(UdpPeer.header(first, "Date"), "add_date: " + first);
            assertTrue(UdpPeer.header(first, "From").contains("sip:alice@127.0.0.1"), first);
            assertTrue(UdpPeer.header(first, "Content-Type").startsWith("text/plain"), first);
            bob.reply(first, 200, "OK", "d1", sipPort);
            String second = bob.receive("MESSAGE", 5000);
            assertNotNull(second, "the second one after the first");
            assertTrue(body(second).endsWith("second ✓"), "UTF-8 body: " + second);
            bob.reply(second, 500, "Server Error", "d2", sipPort);
            assertTrue(SiphonServer.waitFor(5_000, () -> statisticIs("msilo:failed_messages", 1)), "the 500 is counted");
            assertEquals(1, statistic("msilo:dumped_messages"));

            // the kept one survives an update of the module and a reload of the script
            Map<?, ?> updated = (Map<?, ?>) server.rpc.call("module.update", "msilo");
            assertEquals("active", updated.get("state"), updated.toString());
            Files.writeString(cfg, SCRIPT.replace("EXPIRE", "7200"));
            server.rpc.call("cfg.reload");
            assertTrue(SiphonServer.waitFor(10_000, () -> {
                try {
                    return Boolean.TRUE.equals(((Map<?, ?>) server.rpc.call("cfg.status")).get("loaded"));
                } catch (Exception e) {
                    return false;
                }
            }), "the script runs again");

            assertEquals(200, UdpPeer.status(register(bob, "r1", 2)));
            String again = bob.receive("MESSAGE", 5000);
            assertNotNull(again, "the next REGISTER gets the failed one again");
            assertTrue(body(again).endsWith("second ✓"), again);
            bob.reply(again, 200, "OK", "d3", sipPort);
            assertTrue(SiphonServer.waitFor(5_000, () -> statisticIs("msilo:dumped_messages", 1)),
                    "the new instance counts its own delivery");
            assertEquals(200, UdpPeer.status(register(bob, "r1", 3)));
            assertNull(bob.receive("MESSAGE", 1500), "delivered once: nothing left after the 2xx");
            assertTrue(server.log().contains("MSILO: offline messages dumped"), "m_dump returned 1");
        }
    }
}
