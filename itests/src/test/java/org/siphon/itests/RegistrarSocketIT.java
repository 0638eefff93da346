package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server with two UDP listeners: a contact is reached through the socket it registered on
 * (Kamailio's location {@code socket}, shown by ul.dump), whichever socket the caller used —
 * what a NAT in front of a multi-homed server needs.
 */
class RegistrarSocketIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int portA;
    static int portB;

    @BeforeAll
    static void start() throws Exception {
        Path cfg = dir.resolve("reg-socket.cfg");
        Files.writeString(cfg, """
                #!KAMAILIO
                loadmodule "tm.so"
                loadmodule "sl.so"
                loadmodule "registrar.so"
                request_route {
                    if (is_method("REGISTER")) { save("location"); exit; }
                    if (!lookup("location")) { sl_send_reply("404", "Not Found"); exit; }
                    t_relay();
                }
                """);
        portA = SiphonServer.freePort();
        portB = SiphonServer.freePort();
        server = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + portA, "-l", "udp:127.0.0.1:" + portB).awaitSettled();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aContactIsReachedThroughTheSocketItRegisteredOn() throws Exception {
        try (UdpPeer bob = new UdpPeer(); UdpPeer alice = new UdpPeer()) {
            bob.send("REGISTER sip:127.0.0.1:" + portB + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + bob.port()
                    + ";branch=z9hG4bKsock1;rport\r\nMax-Forwards: 70\r\nFrom: <sip:bob@127.0.0.1>;tag=s1\r\n"
                    + "To: <sip:bob@127.0.0.1>\r\nCall-ID: sock-reg\r\nCSeq: 1 REGISTER\r\nContact: <sip:bob@127.0.0.1:"
                    + bob.port() + ">\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n", portB);
            assertNotNull(bob.receive("SIP/2.0 200", 3000));
            assertTrue(server.rpc.call("ul.dump").toString().contains("Socket=udp:127.0.0.1:" + portB),
                    String.valueOf(server.rpc.call("ul.dump")));
            alice.send("MESSAGE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + alice.port()
                    + ";branch=z9hG4bKsockm;rport\r\nMax-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=a1\r\n"
                    + "To: <sip:bob@127.0.0.1>\r\nCall-ID: sock-msg\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n", portA);
            String atBob = bob.receive("MESSAGE ", 5000);
            assertNotNull(atBob, "the MESSAGE reaches bob");
            assertEquals(portB, bob.lastSourcePort, "sent from the socket bob registered on, not the one alice used");
            assertTrue(atBob.contains("Via: SIP/2.0/UDP 127.0.0.1:" + portB), atBob);
        }
    }
}
