package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default siphon.cfg with {@code -A WITH_NAT} (its ping interval shortened to 1 s, a
 * keepalive timeout of 3 s): a UA on a loopback port that claims a private address in Via and
 * Contact (as a phone behind NAT does) registers, its contact keeps where it came from, calls to
 * it reach that port, a dialog it starts reaches it back through the contact alias, replies
 * carry received/rport, it gets SIP keepalives from sipping_from, and once it stops answering
 * them its contact is removed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NathelperIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int sipPort;

    @BeforeAll
    static void start() throws Exception {
        Path cfg = dir.resolve("siphon.cfg");
        String text = Files.readString(SiphonServer.distribution().resolve("config/siphon.cfg"))
                .replace("modparam(\"nathelper\", \"natping_interval\", 30)",
                        "modparam(\"nathelper\", \"natping_interval\", 1)\nmodparam(\"nathelper\", \"keepalive_timeout\", 3)");
        assertTrue(text.contains("keepalive_timeout"), "the default config has the WITH_NAT ping parameters");
        Files.writeString(cfg, text);
        sipPort = SiphonServer.freePort();
        server = SiphonServer.start(dir, "-f", cfg.toString(), "-A", "WITH_NAT", "-l", "udp:127.0.0.1:" + sipPort);
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

    /** A request from a UA that believes it is 192.168.1.5:5060. */
    static String behindNat(String method, String ruri, UdpPeer ua, String callId, int cseq, String user, String extra) {
        return method + " " + ruri + " SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.5:5060;branch=z9hG4bK" + callId + cseq
                + ";rport\r\nMax-Forwards: 70\r\nFrom: <sip:" + user + "@127.0.0.1>;tag=n" + callId + "\r\nTo: <"
                + (method.equals("REGISTER") ? "sip:" + user + "@127.0.0.1" : ruri) + ">\r\nCall-ID: " + callId + "\r\nCSeq: "
                + cseq + " " + method + "\r\nContact: <sip:" + user + "@192.168.1.5:5060>\r\n" + extra
                + "Content-Length: 0\r\n\r\n";
    }

    @Test
    void aUaBehindNat() throws Exception {
        try (UdpPeer alice = new UdpPeer(); UdpPeer bob = new UdpPeer()) {
            alice.send(behindNat("REGISTER", "sip:127.0.0.1:" + sipPort, alice, "natreg", 1, "alice", "Expires: 600\r\n"),
                    sipPort);
            String ok = alice.receive("SIP/2.0 200", 3000);
            assertNotNull(ok, "the 200 reached the UA's real port (rport)");
            assertTrue(UdpPeer.header(ok, "Via").contains(";rport=" + alice.port() + ";received=127.0.0.1"),
                    "RFC 3581 on the reply: " + ok);
            assertTrue(UdpPeer.header(ok, "Contact").contains(";received=\"sip:127.0.0.1:" + alice.port() + "\""),
                    "the 200 shows the received address: " + ok);
            Map<?, ?> aor = (Map<?, ?>) server.rpc.call("ul.lookup", "location", "alice");
            Map<?, ?> contact = (Map<?, ?>) ((List<?>) aor.get("Contacts")).get(0);
            assertEquals("sip:127.0.0.1:" + alice.port(), contact.get("Received"), "fix_nated_register: " + contact);

            // a call to alice goes to where she registered from
            bob.send(UdpPeer.request("INVITE", "sip:alice@127.0.0.1:" + sipPort, bob.port(), "natcall", 1, "z9hG4bKnc1", ""),
                    sipPort);
            String invite = alice.receive("INVITE", 3000);
            assertNotNull(invite, "the INVITE reached alice's source port");
            assertTrue(invite.startsWith("INVITE sip:alice@192.168.1.5:5060 SIP/2.0"), invite);
            alice.reply(invite, 486, "Busy Here", "a1", sipPort);
            assertNotNull(bob.receive("SIP/2.0 486", 3000));

            // a dialog alice starts: bob's BYE comes back to her through the alias of her Contact
            bob.send("REGISTER sip:127.0.0.1:" + sipPort + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + bob.port()
                    + ";branch=z9hG4bKbr;rport\r\nFrom: <sip:bob@127.0.0.1>;tag=b\r\nTo: <sip:bob@127.0.0.1>\r\n"
                    + "Call-ID: bobreg\r\nCSeq: 1 REGISTER\r\nContact: <sip:bob@127.0.0.1:" + bob.port() + ">\r\n"
                    + "Content-Length: 0\r\n\r\n", sipPort);
            assertNotNull(bob.receive("SIP/2.0 200", 3000));
            alice.send(behindNat("INVITE", "sip:bob@127.0.0.1:" + sipPort, alice, "natdlg", 1, "alice", ""), sipPort);
            String toBob = bob.receive("INVITE", 3000);
            assertNotNull(toBob);
            String aliceContact = UdpPeer.header(toBob, "Contact");
            assertTrue(aliceContact.contains(";alias=127.0.0.1~" + alice.port() + "~1"), "set_contact_alias: " + aliceContact);
            bob.reply(toBob, 200, "OK", "bd", sipPort);
            String answered = alice.receive("SIP/2.0 200", 3000);
            assertNotNull(answered);
            String route = UdpPeer.header(toBob, "Record-Route");
            String ruri = aliceContact.substring(aliceContact.indexOf('<') + 1, aliceContact.indexOf('>'));
            bob.send("BYE " + ruri + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + bob.port() + ";branch=z9hG4bKbye;rport\r\n"
                    + "Max-Forwards: 70\r\nRoute: " + route + "\r\nFrom: <sip:bob@127.0.0.1:" + sipPort + ">;tag=bd\r\n"
                    + "To: <sip:alice@127.0.0.1>;tag=nnatdlg\r\nCall-ID: natdlg\r\nCSeq: 1 BYE\r\nContent-Length: 0\r\n\r\n",
                    sipPort);
            String bye = alice.receive("BYE", 3000);
            assertNotNull(bye, "handle_ruri_alias: the BYE reached alice's real port");
            assertTrue(bye.startsWith("BYE sip:alice@192.168.1.5:5060 SIP/2.0"), "the alias is consumed: " + bye);
            alice.reply(bye, 200, "OK", "x", sipPort);

            // keepalives: SIP OPTIONS from sipping_from, answered for a while
            String ping = alice.receive("OPTIONS", 4000);
            assertNotNull(ping, "a SIP keepalive within natping_interval");
            assertTrue(UdpPeer.header(ping, "From").contains("sip:pinger@siphon.invalid"), ping);
            alice.reply(ping, 200, "OK", "p", sipPort);
            assertTrue(((Map<?, ?>) server.rpc.call("ul.lookup", "location", "alice")).get("Contacts") != null);
            // alice's NAT binding is gone: she stops answering, and after keepalive_timeout her contact goes
            assertTrue(SiphonServer.waitFor(10_000, () -> {
                try {
                    server.rpc.call("ul.lookup", "location", "alice");
                    return false;
                } catch (RpcClient.RpcError e) {
                    return true;
                } catch (Exception e) {
                    return false;
                }
            }), "the contact that stopped answering keepalives is removed");
            assertTrue(server.log().contains("no answer to keepalives"), "with a log line");
            server.rpc.call("ul.lookup", "location", "bob"); // bob answers nothing but is not NATed: kept

            // log.level: nathelper's debug lines appear once its level is debug (a Contact that does not parse)
            String garbage = "OPTIONS sip:nobody@127.0.0.1:" + sipPort + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + bob.port()
                    + ";branch=z9hG4bKlog%d;rport\r\nMax-Forwards: 70\r\nFrom: <sip:bob@127.0.0.1>;tag=l\r\nTo: "
                    + "<sip:nobody@127.0.0.1>\r\nCall-ID: log-%d\r\nCSeq: 1 OPTIONS\r\nContact: <<garbage\r\n"
                    + "Content-Length: 0\r\n\r\n";
            bob.send(garbage.formatted(1, 1), sipPort);
            assertNotNull(bob.receive("SIP/2.0", 3000), "still routed");
            assertTrue(!server.log().contains("does not parse"), "no debug line at info");
            assertEquals(Map.of("logger", "org.siphon.nathelper", "level", "debug"),
                    server.rpc.call("log.level", "nathelper", "debug"));
            bob.send(garbage.formatted(2, 2), sipPort);
            assertNotNull(bob.receive("SIP/2.0", 3000));
            assertTrue(SiphonServer.waitFor(3000, () -> {
                try {
                    return server.log().contains("DEBUG NatFunctions - nathelper: Contact \"<<garbage\" does not parse");
                } catch (java.io.IOException e) {
                    return false;
                }
            }), "the debug line appears");
            assertTrue(((Map<?, ?>) server.rpc.call("log.level")).containsKey("org.siphon.nathelper"));
            RpcClient.RpcError unknown = org.junit.jupiter.api.Assertions.assertThrows(RpcClient.RpcError.class,
                    () -> server.rpc.call("log.level", "nathelpr", "debug"));
            assertTrue(unknown.getMessage().contains("no module nathelpr"), unknown.getMessage());
            assertEquals(Map.of("logger", "io.netty", "level", "warn"), server.rpc.call("log.level", "io.netty", "warn"),
                    "a library's logger is taken as named");
        }
    }
}
