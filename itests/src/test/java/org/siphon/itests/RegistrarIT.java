package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registrar of the default siphon.cfg (started {@code -A WITH_ANTIFLOOD -A WITH_USRLOCDB}) in
 * the real distribution: REGISTER, query, 423, {@code *}, calls to a registered user (one and two
 * contacts, forked) and to an unknown one, the location table through RPC, and pike banning a
 * flooding source while another keeps registering.
 */
class RegistrarIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int sipPort;

    @BeforeAll
    static void start() throws Exception {
        sipPort = SiphonServer.freePort();
        server = SiphonServer.start(dir, "-A", "WITH_ANTIFLOOD", "-A", "WITH_USRLOCDB", "-l", "udp:127.0.0.1:" + sipPort);
        server.awaitSettled();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private static String register(UdpPeer ua, String user, String callId, int cseq, String contactAndExpires)
            throws Exception {
        ua.send(UdpPeer.request("REGISTER", "sip:127.0.0.1:" + sipPort, ua.port(), callId, cseq, "z9hG4bKreg" + callId + cseq,
                "")
                .replace("<sip:127.0.0.1:" + sipPort + ">", "<sip:" + user + "@127.0.0.1>")
                .replaceFirst("Contact: <[^>]*>\r\n", contactAndExpires), sipPort);
        return ua.receive("SIP/2.0", 3000);
    }

    /** One statistic through stats.get_statistics, as kamcmd reads it. */
    static long statistic(String name) throws Exception {
        return ((Number) ((Map<?, ?>) server.rpc.call("stats.get_statistics", name)).get(name)).longValue();
    }

    @Test
    void registeredUsersAreReachedAndOthersAreNotFound() throws Exception {
        try (UdpPeer alice = new UdpPeer(); UdpPeer caller = new UdpPeer()) {
            String ok = register(alice, "alice", "r1", 1, "Contact: <sip:alice@127.0.0.1:" + alice.port() + ">\r\nExpires: 600\r\n");
            assertNotNull(ok);
            assertTrue(ok.startsWith("SIP/2.0 200"), ok);
            assertEquals("<sip:alice@127.0.0.1:" + alice.port() + ">;expires=600", UdpPeer.header(ok, "Contact"));
            String query = register(alice, "alice", "r9", 1, "");
            assertEquals("<sip:alice@127.0.0.1:" + alice.port() + ">;expires=600", UdpPeer.header(query, "Contact"),
                    "a REGISTER without Contact lists the bindings");

            String ruri = "sip:alice@127.0.0.1:" + sipPort;
            caller.send(UdpPeer.request("INVITE", ruri, caller.port(), "call-1", 1, "z9hG4bKi1", ""), sipPort);
            String in = alice.receive("INVITE", 3000);
            assertNotNull(in, "lookup() sent the call to the registered contact");
            assertTrue(in.startsWith("INVITE sip:alice@127.0.0.1:" + alice.port() + " "), in);
            alice.reply(in, 486, "Busy Here", "a1", sipPort);
            String busy = caller.receive("SIP/2.0 486", 3000);
            assertNotNull(busy);
            caller.send(UdpPeer.request("ACK", ruri, caller.port(), "call-1", 1, "z9hG4bKi1", "")
                    .replaceFirst("To: <[^>]*>", "To: " + UdpPeer.header(busy, "To")), sipPort);

            caller.send(UdpPeer.request("INVITE", "sip:bob@127.0.0.1:" + sipPort, caller.port(), "call-2", 1, "z9hG4bKi2", ""),
                    sipPort);
            String notFound = caller.receive("SIP/2.0 4", 3000);
            assertNotNull(notFound);
            assertTrue(notFound.startsWith("SIP/2.0 404 Not Found"), notFound);
            caller.send(UdpPeer.request("ACK", "sip:bob@127.0.0.1:" + sipPort, caller.port(), "call-2", 1, "z9hG4bKi2", "")
                    .replaceFirst("To: <[^>]*>", "To: " + UdpPeer.header(notFound, "To")), sipPort);

            assertTrue(statistic("usrloc:registered_users") >= 1, "alice counts among the registered users");
            long rejected = statistic("registrar:rejected_regs");
            String tooBrief = register(alice, "alice", "r1", 2, "Contact: <sip:alice@127.0.0.1:" + alice.port() + ">\r\nExpires: 10\r\n");
            assertTrue(tooBrief.startsWith("SIP/2.0 423"), tooBrief);
            assertEquals(rejected + 1, statistic("registrar:rejected_regs"), "the 423 counts as a rejected REGISTER");
            assertEquals("60", UdpPeer.header(tooBrief, "Min-Expires"));
            String star = register(alice, "alice", "r1", 3, "Contact: *\r\nExpires: 0\r\n");
            assertTrue(star.startsWith("SIP/2.0 200") && UdpPeer.header(star, "Contact") == null, star);
            Map<?, ?> dump = (Map<?, ?>) server.rpc.call("ul.dump");
            assertTrue(((List<?>) dump.get("AoRs")).stream().noneMatch(a -> "alice".equals(((Map<?, ?>) a).get("AoR"))),
                    "* removed alice's bindings: " + dump);
        }
    }

    @Test
    void aFloodingSourceIsBannedWhileAnotherKeepsRegistering() throws Exception {
        try (UdpPeer flooder = new UdpPeer("127.0.0.2"); UdpPeer calm = new UdpPeer("127.0.0.3")) {
            for (int i = 0; i < 80; i++) {
                flooder.send(UdpPeer.request("REGISTER", "sip:127.0.0.1:" + sipPort, flooder.port(), "flood" + i, 1,
                        "z9hG4bKfl" + i, "").replace("<sip:127.0.0.1:" + sipPort + ">", "<sip:mallory@127.0.0.1>"), sipPort);
            }
            long answered = flooder.drain(1500).stream().filter(m -> m.startsWith("SIP/2.0")).count();
            assertTrue(answered >= 16 && answered < 60, "pike cut the flood after the density: " + answered + " answered");
            for (int i = 0; i < 3; i++) {
                String ok = register(calm, "grace", "calm", i + 1, "Contact: <sip:grace@127.0.0.3:" + calm.port() + ">\r\n");
                assertTrue(ok != null && ok.startsWith("SIP/2.0 200"), "another source keeps registering: " + ok);
            }
            Map<?, ?> banned = (Map<?, ?>) server.rpc.call("htable.get", "ipban", "127.0.0.2");
            assertEquals("127.0.0.2", ((Map<?, ?>) banned.get("item")).get("name"));
            flooder.send(UdpPeer.request("OPTIONS", "sip:127.0.0.1:" + sipPort, flooder.port(), "after", 1, "z9hG4bKaf", ""),
                    sipPort);
            assertNull(flooder.receive(1000), "the banned source gets nothing while it is in ipban");
            server.rpc.call("ul.rm", "location", "grace");
            server.rpc.call("ul.rm", "location", "mallory");
        }
    }

    @Test
    void twoContactsAreForkedInParallel() throws Exception {
        try (UdpPeer desk = new UdpPeer(); UdpPeer mobile = new UdpPeer(); UdpPeer caller = new UdpPeer()) {
            register(desk, "carol", "d1", 1, "Contact: <sip:carol@127.0.0.1:" + desk.port() + ">;q=1\r\n");
            String both = register(mobile, "carol", "m1", 1, "Contact: <sip:carol@127.0.0.1:" + mobile.port() + ">;q=0.5\r\n");
            assertEquals(2, both.split("\r\nContact: ").length - 1, both);
            Map<?, ?> aor = (Map<?, ?>) server.rpc.call("ul.lookup", "location", "carol");
            assertEquals(2, ((List<?>) aor.get("Contacts")).size());

            String ruri = "sip:carol@127.0.0.1:" + sipPort;
            caller.send(UdpPeer.request("INVITE", ruri, caller.port(), "call-3", 1, "z9hG4bKi3", ""), sipPort);
            String atDesk = desk.receive("INVITE", 3000);
            String atMobile = mobile.receive("INVITE", 3000);
            assertNotNull(atDesk);
            assertNotNull(atMobile, "both contacts ring");
            mobile.reply(atMobile, 180, "Ringing", "m", sipPort);
            desk.reply(atDesk, 200, "OK", "d", sipPort);
            String ok = caller.receive("SIP/2.0 200", 3000);
            assertNotNull(ok);
            String cancel = mobile.receive("CANCEL", 3000);
            assertNotNull(cancel, "the ringing branch is canceled once the other answered");
            mobile.reply(cancel, 200, "OK", "m", sipPort);
            mobile.reply(atMobile, 487, "Request Terminated", "m", sipPort);
            assertNotNull(mobile.receive("ACK", 3000));
            assertNull(caller.receive("SIP/2.0 4", 500));
            server.rpc.call("ul.rm", "location", "carol");
        }
    }
}
