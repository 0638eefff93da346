package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default script's WITH_TLS, WITH_JSONRPC and WITH_WEBSOCKETS switches from the distribution
 * as shipped: config/tls.cfg names a key pair that does not exist yet, so TLS is refused (and the
 * rest works) until the operator makes it with the openssl command tls.cfg gives, which is then
 * served without a restart; POST /RPC on the SIP TCP port; a WebSocket client registers; whole
 * calls between a WebSocket user (RFC 7118 .invalid contact) and a UDP user in both directions, with
 * the Via and the double Record-Route each side must see.
 */
class DefaultConfigTransportsIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int tcpPort;
    static int tlsPort;
    static int udpPort;

    @BeforeAll
    static void start() throws Exception {
        tcpPort = SiphonServer.freePort();
        tlsPort = SiphonServer.freePort();
        server = SiphonServer.start(dir, "-A", "WITH_TLS", "-A", "WITH_JSONRPC", "-A", "WITH_WEBSOCKETS",
                "-l", "udp:127.0.0.1:" + (udpPort = SiphonServer.freePort()), "-l", "tcp:127.0.0.1:" + tcpPort,
                "-l", "tls:127.0.0.1:" + tlsPort).awaitSettled();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void tlsWaitsForItsCertificateThenServesIt() throws Exception {
        assertThrows(Exception.class, () -> {
            try (SSLSocket s = TlsIT.connect(tlsPort, null, false)) {
                s.getInputStream().read();
            }
        }, "no key pair yet: the handshake is refused");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=sip.example.com", "-keyout", "config/siphon-tls.key", "-out", "config/siphon-tls.pem")
                .directory(server.home.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(SiphonServer.waitFor(15_000, () -> {
            try (SSLSocket s = TlsIT.connect(tlsPort, null, false)) {
                return TlsIT.subject(s).equals("CN=sip.example.com");
            } catch (Exception e) {
                return false;
            }
        }), "the key pair made as tls.cfg says is served without a restart");
    }

    @Test
    void jsonRpcOnTheSipPort() throws Exception {
        String body = "{\"jsonrpc\":\"2.0\",\"method\":\"core.version\",\"id\":1}";
        try (Socket s = new Socket("127.0.0.1", tcpPort)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write(("POST /RPC HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("HTTP/1.1 200 OK") && answer.contains("\"result\""), answer);
        }
    }

    @Test
    void aWebSocketClientRegisters() throws Exception {
        WebSocketIT.Client c = new WebSocketIT.Client();
        c.ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("sip")
                .buildAsync(URI.create("ws://127.0.0.1:" + tcpPort + "/"), c).join();
        try {
            c.send("REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/WS x7.invalid;branch=z9hG4bKdefws1\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:dora@127.0.0.1>;tag=d1\r\nTo: <sip:dora@127.0.0.1>\r\n"
                    + "Call-ID: def-ws-1\r\nCSeq: 1 REGISTER\r\nContact: <sip:dora@x7.invalid;transport=ws>\r\n"
                    + "Expires: 600\r\nContent-Length: 0\r\n\r\n");
            String reply = c.next("SIP/2.0 ");
            assertTrue(reply != null && reply.startsWith("SIP/2.0 200"), String.valueOf(reply));
            Object contacts = server.rpc.call("ul.dump");
            assertTrue(contacts.toString().contains("transport=ws"), "the received address keeps the WebSocket: " + contacts);
        } finally {
            c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    /** A WebSocket user registered as a browser would: an .invalid host in Via and Contact. */
    static WebSocketIT.Client wsUser(String user, String host) throws Exception {
        WebSocketIT.Client c = new WebSocketIT.Client();
        c.ws = HttpClient.newHttpClient().newWebSocketBuilder().subprotocols("sip")
                .buildAsync(URI.create("ws://127.0.0.1:" + tcpPort + "/"), c).join();
        c.send("REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/WS " + host + ";branch=z9hG4bKreg" + user + "\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:" + user + "@127.0.0.1>;tag=r" + user + "\r\nTo: <sip:" + user
                + "@127.0.0.1>\r\nCall-ID: reg-" + user + "\r\nCSeq: 1 REGISTER\r\nContact: <sip:" + user + "@" + host
                + ";transport=ws>\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n");
        String reply = c.next("SIP/2.0 ");
        assertTrue(reply != null && reply.startsWith("SIP/2.0 200"), "WebSocket REGISTER: " + reply);
        return c;
    }

    static void udpRegister(UdpPeer peer, String user) throws Exception {
        peer.send("REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + peer.port() + ";branch=z9hG4bKreg"
                + user + ";rport\r\nMax-Forwards: 70\r\nFrom: <sip:" + user + "@127.0.0.1>;tag=r" + user
                + "\r\nTo: <sip:" + user + "@127.0.0.1>\r\nCall-ID: reg-" + user + "\r\nCSeq: 1 REGISTER\r\n"
                + "Contact: <sip:" + user + "@127.0.0.1:" + peer.port() + ">\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n",
                udpPort);
        assertNotNull(peer.receive("SIP/2.0 200", 5000), "UDP REGISTER of " + user);
    }

    /** The proxy's Record-Route values for a NATed dialog: the socket a side reaches, r2=on, nat=yes (NATMANAGE). */
    static String wsOut() {
        return "<sip:127.0.0.1:" + tcpPort + ";transport=ws;r2=on;lr;nat=yes>";
    }

    static String wsIn() {
        return "<sip:127.0.0.1:" + tcpPort + ";r2=on;transport=ws;lr;nat=yes>";
    }

    static String udp() {
        return "<sip:127.0.0.1:" + udpPort + ";r2=on;lr;nat=yes>";
    }

    @Test
    void aCallFromAUdpUserToAWebSocketUser() throws Exception {
        WebSocketIT.Client erin = wsUser("erin", "e1r2.invalid");
        try (UdpPeer bob = new UdpPeer()) {
            String via = "SIP/2.0/UDP 127.0.0.1:" + bob.port() + ";rport;branch=z9hG4bK";
            bob.send("INVITE sip:erin@127.0.0.1:" + udpPort + " SIP/2.0\r\nVia: " + via + "u2w1\r\nMax-Forwards: 70\r\n"
                    + "From: <sip:bob@127.0.0.1>;tag=bu2w\r\nTo: <sip:erin@127.0.0.1>\r\nCall-ID: u2w-call\r\n"
                    + "CSeq: 1 INVITE\r\nContact: <sip:bob@127.0.0.1:" + bob.port() + ">\r\nContent-Length: 0\r\n\r\n",
                    udpPort);
            assertNotNull(bob.receive("SIP/2.0 100", 5000), "100 Trying from the proxy");
            String invite = erin.next("INVITE ");
            assertNotNull(invite, "the INVITE reaches the WebSocket user");
            List<String> vias = SipDialog.values(invite, "Via");
            assertTrue(vias.get(0).startsWith("SIP/2.0/WS 127.0.0.1:" + tcpPort + ";"), "the proxy's Via says WS: " + vias);
            assertTrue(vias.get(1).startsWith("SIP/2.0/UDP 127.0.0.1:" + bob.port()), vias.toString());
            assertEquals(List.of(wsOut(), udp()), SipDialog.values(invite, "Record-Route"),
                    "double Record-Route: the WebSocket side first, then the UDP side");

            String erinContact = "sip:erin@e1r2.invalid;transport=ws";
            erin.send(SipDialog.reply(invite, 180, "Ringing", "eu2w", erinContact));
            assertNotNull(bob.receive("SIP/2.0 180", 5000), "180 back over UDP");
            erin.send(SipDialog.reply(invite, 200, "OK", "eu2w", erinContact));
            String ok = bob.receive("SIP/2.0 200", 5000);
            assertNotNull(ok, "200 back over UDP");
            assertEquals(1, SipDialog.values(ok, "Via").size(), "only bob's Via: " + ok);
            assertEquals(List.of(wsOut(), udp()), SipDialog.values(ok, "Record-Route"));
            assertTrue(SipDialog.uri(SipDialog.header(ok, "Contact")).startsWith(erinContact + ";alias=127.0.0.1~"),
                    "the WebSocket callee's contact gets an alias: " + ok);

            bob.send(SipDialog.fromCaller("ACK", invite, ok, via + "u2wack", 1), udpPort);
            String ack = erin.next("ACK ");
            assertNotNull(ack, "the ACK reaches the WebSocket user");
            assertEquals(null, SipDialog.header(ack, "Route"), "both Record-Route values taken: " + ack);
            assertTrue(ack.startsWith("ACK " + erinContact), "alias taken off: " + ack);

            bob.send(SipDialog.fromCaller("BYE", invite, ok, via + "u2wbye", 2), udpPort);
            String bye = erin.next("BYE ");
            assertNotNull(bye, "bob's BYE reaches the WebSocket user");
            assertTrue(SipDialog.values(bye, "Via").get(0).startsWith("SIP/2.0/WS "), bye);
            erin.send(SipDialog.reply(bye, 200, "OK", "eu2w", null));
            assertNotNull(bob.receive("SIP/2.0 200", 5000), "the BYE's 200 back over UDP");
        } finally {
            erin.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    @Test
    void aCallFromAWebSocketUserToAUdpUser() throws Exception {
        WebSocketIT.Client fay = wsUser("fay", "f4y5.invalid");
        try (UdpPeer carl = new UdpPeer()) {
            udpRegister(carl, "carl");
            String via = "SIP/2.0/WS f4y5.invalid;branch=z9hG4bK";
            String fayContact = "sip:fay@f4y5.invalid;transport=ws";
            fay.send("INVITE sip:carl@127.0.0.1:" + udpPort + " SIP/2.0\r\nVia: " + via + "w2u1\r\nMax-Forwards: 70\r\n"
                    + "From: <sip:fay@127.0.0.1>;tag=fw2u\r\nTo: <sip:carl@127.0.0.1>\r\nCall-ID: w2u-call\r\n"
                    + "CSeq: 1 INVITE\r\nContact: <" + fayContact + ">\r\nContent-Length: 0\r\n\r\n");
            String invite = carl.receive("INVITE ", 5000);
            assertNotNull(invite, "the INVITE reaches the UDP user");
            assertNotNull(fay.next("SIP/2.0 100"), "100 Trying over the WebSocket");
            List<String> vias = SipDialog.values(invite, "Via");
            assertTrue(vias.get(0).startsWith("SIP/2.0/UDP 127.0.0.1:" + udpPort + ";"), vias.toString());
            assertTrue(vias.get(1).startsWith("SIP/2.0/WS f4y5.invalid;") && vias.get(1).contains("received=127.0.0.1"),
                    vias.toString());
            assertEquals(List.of(udp(), wsIn()), SipDialog.values(invite, "Record-Route"),
                    "double Record-Route: the UDP side first, then the WebSocket side");
            String contact = SipDialog.uri(SipDialog.header(invite, "Contact"));
            assertTrue(contact.startsWith(fayContact + ";alias=127.0.0.1~"), "the WebSocket contact gets an alias: " + contact);

            carl.reply(invite, 180, "Ringing", "cw2u", udpPort);
            assertNotNull(fay.next("SIP/2.0 180"), "180 over the WebSocket");
            carl.reply(invite, 200, "OK", "cw2u", udpPort);
            String ok = fay.next("SIP/2.0 200");
            assertNotNull(ok, "200 over the WebSocket");
            assertEquals(List.of(udp(), wsIn()), SipDialog.values(ok, "Record-Route"));

            fay.send(SipDialog.fromCaller("ACK", invite, ok, via + "w2uack", 1));
            String ack = carl.receive("ACK ", 5000);
            assertNotNull(ack, "the ACK reaches the UDP user");
            assertEquals(null, SipDialog.header(ack, "Route"), ack);

            carl.send(SipDialog.fromCallee("BYE", invite, ok, "SIP/2.0/UDP 127.0.0.1:" + carl.port()
                    + ";rport;branch=z9hG4bKw2ubye", 1), udpPort);
            String bye = fay.next("BYE ");
            assertNotNull(bye, "the callee's BYE reaches the WebSocket user");
            assertTrue(bye.startsWith("BYE " + fayContact), "to her contact, alias taken off: " + bye);
            fay.send(SipDialog.reply(bye, 200, "OK", "fw2u", null));
            assertNotNull(carl.receive("SIP/2.0 200", 5000), "the BYE's 200 back over UDP");
        } finally {
            fay.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }
}
