package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Siphon as a WebSocket client (issue 28; Kamailio has no such mode): a request relayed to
 * {@code sip:...;transport=ws} (or {@code wss}) opens a WebSocket connection to a SIP-over-WebSocket
 * server (WsSipServer: RFC 6455 by hand, over TLS for wss) with the sip sub-protocol and masked
 * frames, later requests reuse it, replies and the callee's in-dialog requests come back over it;
 * ws.dump lists it as a client connection and ws.close ends it (the next request opens another);
 * a server that refuses the handshake fails the request and nothing else; a server sending a
 * masked frame is closed with 1002; one that never answers the handshake is given up after
 * tcp_connect_timeout.
 */
class WebSocketClientIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static WsSipServer ws;
    static WsSipServer wss;
    static WsSipServer refusing;
    static WsSipServer masking;
    static WsSipServer silent;
    static int udpPort;

    static final String SCRIPT = """
            #!KAMAILIO
            enable_tls=yes
            tcp_connect_timeout=2000
            loadmodule "tls.so"
            loadmodule "sl.so"
            loadmodule "tm.so"
            loadmodule "rr.so"
            loadmodule "websocket.so"
            modparam("tls", "config", "tls.cfg")

            event_route[websocket:closed] {
                xlog("L_INFO", "WS-CLOSED $ws_conid $si:$sp $pr\n");
            }

            request_route {
                if (has_totag()) {
                    if (loose_route()) {
                        t_relay();
                        exit;
                    }
                    if (is_method("ACK")) {
                        if (t_check_trans()) {
                            t_relay();
                        }
                        exit;
                    }
                    sl_send_reply("404", "Not here");
                    exit;
                }
                if (is_method("CANCEL")) {
                    if (t_check_trans()) {
                        t_relay();
                    }
                    exit;
                }
                if (is_method("INVITE")) {
                    record_route();
                }
                if ($rU == "carol") {
                    $ru = "sip:carol@127.0.0.1:WSPORT;transport=ws";
                } else if ($rU == "dave") {
                    $ru = "sip:dave@127.0.0.1:WSSPORT;transport=wss";
                } else if ($rU == "erin") {
                    $ru = "sip:erin@127.0.0.1:BADPORT;transport=ws";
                } else if ($rU == "gina") {
                    $ru = "sip:gina@127.0.0.1:SILENTPORT;transport=ws";
                } else if ($rU == "frank") {
                    $ru = "sip:frank@127.0.0.1:MASKPORT;transport=ws";
                } else {
                    sl_send_reply("404", "Not Found");
                    exit;
                }
                t_relay();
            }
            """;

    static void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + "\n" + out);
    }

    @BeforeAll
    static void start() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ws.key", "-out", "ws.pem", "-subj", "/CN=ws-server",
                "-days", "2");
        openssl("pkcs12", "-export", "-in", "ws.pem", "-inkey", "ws.key", "-out", "ws.p12", "-passout", "pass:x");
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (FileInputStream in = new FileInputStream(dir.resolve("ws.p12").toFile())) {
            ks.load(in, "x".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "x".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        ws = WsSipServer.plain(null);
        wss = new WsSipServer(tls.getServerSocketFactory().createServerSocket(0, 8, InetAddress.getByName("127.0.0.1")), null);
        refusing = WsSipServer.plain("HTTP/1.1 400 Bad Request");
        masking = WsSipServer.plain(null);
        masking.maskOwnFrames = true;
        silent = WsSipServer.plain("SILENT");
        Files.writeString(dir.resolve("tls.cfg"), """
                [server:default]
                private_key = ws.key
                certificate = ws.pem

                [client:default]
                verify_certificate = no
                """);
        Path cfg = dir.resolve("ws-client.cfg");
        Files.writeString(cfg, SCRIPT.replace("WSSPORT", Integer.toString(wss.port())).replace("WSPORT", Integer.toString(ws.port()))
                .replace("BADPORT", Integer.toString(refusing.port())).replace("MASKPORT", Integer.toString(masking.port()))
                .replace("SILENTPORT", Integer.toString(silent.port())));
        udpPort = SiphonServer.freePort();
        server = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "udp:127.0.0.1:" + udpPort,
                "-l", "tcp:127.0.0.1:" + SiphonServer.freePort(), "-l", "tls:127.0.0.1:" + SiphonServer.freePort()).awaitSettled();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        for (WsSipServer s : new WsSipServer[] { ws, wss, refusing, masking, silent }) {
            if (s != null) {
                s.close();
            }
        }
    }

    static String message(String user, int fromPort, String callId) {
        return "MESSAGE sip:" + user + "@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + fromPort + ";branch=z9hG4bK" + callId
                + ";rport\r\nMax-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=a-" + callId + "\r\nTo: <sip:" + user
                + "@127.0.0.1>\r\nCall-ID: " + callId + "\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi";
    }

    static List<?> dump() throws Exception {
        return WebSocketWire.connections(server);
    }

    static Map<?, ?> clientTo(int port) throws Exception {
        return WebSocketWire.connection(server, "127.0.0.1:" + port);
    }

    @Test
    void messagesToAWsServerOpenOneConnectionAndTheRepliesComeBack() throws Exception {
        try (UdpPeer alice = new UdpPeer()) {
            alice.send(message("carol", alice.port(), "wsc-m1"), udpPort);
            String atCarol = ws.next("MESSAGE ");
            assertNotNull(atCarol, "the MESSAGE reaches the WebSocket server");
            assertTrue(atCarol.startsWith("MESSAGE sip:carol@127.0.0.1:" + ws.port() + ";transport=ws SIP/2.0"), atCarol);
            assertTrue(SipDialog.header(atCarol, "Via").startsWith("SIP/2.0/WS "), "Siphon's Via says WS: " + atCarol);
            String handshake = ws.handshakes.get(0);
            assertTrue(handshake.startsWith("GET / HTTP/1.1\r\n"), handshake);
            assertTrue(handshake.contains("\r\nSec-WebSocket-Protocol: sip\r\n"), handshake);
            assertTrue(handshake.contains("\r\nSec-WebSocket-Version: 13\r\n"), handshake);
            ws.send(SipDialog.reply(atCarol, 200, "OK", "c1", null));
            assertNotNull(alice.receive("SIP/2.0 200", 5000), "carol's 200 comes back over the WebSocket to alice");

            alice.send(message("carol", alice.port(), "wsc-m2"), udpPort);
            String second = ws.next("MESSAGE ");
            assertNotNull(second);
            ws.send(SipDialog.reply(second, 202, "Accepted", "c2", null));
            assertNotNull(alice.receive("SIP/2.0 202", 5000));
            assertEquals(1, ws.accepted.get(), "the second MESSAGE reused the connection");
            assertEquals(0, ws.unmasked.get(), "every frame from Siphon's client side was masked");

            Map<?, ?> c = clientTo(ws.port());
            assertNotNull(c, "ws.dump lists the connection: " + dump());
            assertEquals("client", c.get("mode"));
            assertEquals("ws", c.get("transport"));

            // a wss connection beside it, to see that closing one removes nothing else
            alice.send(message("dave", alice.port(), "wsc-d1"), udpPort);
            String atDave = wss.next("MESSAGE ");
            assertNotNull(atDave);
            wss.send(SipDialog.reply(atDave, 200, "OK", "d0", null));
            assertNotNull(alice.receive("SIP/2.0 200", 5000));
            int wssHandshakes = wss.accepted.get();

            // ws.close ends it with 1000 and nothing else; the next MESSAGE opens a new one
            assertEquals("ok", server.rpc.call("ws.close", ((Number) c.get("id")).longValue()));
            assertEquals(Integer.valueOf(1000), ws.closes.poll(5, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(SiphonServer.waitFor(5000, () -> WebSocketWire.notListed(server, "127.0.0.1:" + ws.port())), "gone from ws.dump");
            assertTrue(SiphonServer.waitFor(5000, () -> logHas("WS-CLOSED " + c.get("id") + " 127.0.0.1:" + ws.port()
                    + " ws")), "event_route[websocket:closed] for the client connection");
            assertNotNull(clientTo(wss.port()), "the wss connection stays: " + dump());
            alice.send(message("dave", alice.port(), "wsc-d2"), udpPort);
            String atDave2 = wss.next("MESSAGE ");
            assertNotNull(atDave2);
            wss.send(SipDialog.reply(atDave2, 200, "OK", "d00", null));
            assertNotNull(alice.receive("SIP/2.0 200", 5000));
            assertEquals(wssHandshakes, wss.accepted.get(), "still over the same wss connection");
            alice.send(message("carol", alice.port(), "wsc-m3"), udpPort);
            String third = ws.next("MESSAGE ");
            assertNotNull(third, "a new connection after the close");
            ws.send(SipDialog.reply(third, 200, "OK", "c3", null));
            assertNotNull(alice.receive("SIP/2.0 200", 5000));
            assertEquals(2, ws.accepted.get());
        }
    }

    @Test
    void aCallFromAUdpUserToAWsServerAndTheCalleesBye() throws Exception {
        try (UdpPeer alice = new UdpPeer()) {
            String invite = UdpPeer.request("INVITE", "sip:carol@127.0.0.1", alice.port(), "wsc-call", 1, "z9hG4bKwscinv", "");
            alice.send(invite, udpPort);
            String atCarol = ws.next("INVITE ");
            assertNotNull(atCarol, "the INVITE reaches the WebSocket server");
            List<String> rr = SipDialog.values(atCarol, "Record-Route");
            assertEquals(2, rr.size(), "double Record-Route, UDP to WS: " + rr);
            assertTrue(rr.get(0).contains("transport=ws"), rr.toString());
            String contact = "sip:carol@127.0.0.1:" + ws.port() + ";transport=ws";
            ws.send(SipDialog.reply(atCarol, 180, "Ringing", "cc", contact));
            assertNotNull(alice.receive("SIP/2.0 180", 5000));
            String ok = SipDialog.reply(atCarol, 200, "OK", "cc", contact);
            ws.send(ok);
            String okAtAlice = alice.receive("SIP/2.0 200", 5000);
            assertNotNull(okAtAlice, "the 200 comes back to alice");

            String ack = SipDialog.fromCaller("ACK", invite, okAtAlice, "SIP/2.0/UDP 127.0.0.1:" + alice.port()
                    + ";branch=z9hG4bKwscack;rport", 1);
            alice.send(ack, udpPort);
            String ackAtCarol = ws.next("ACK ");
            assertNotNull(ackAtCarol, "the ACK reaches carol over the same connection");
            assertTrue(ackAtCarol.startsWith("ACK " + contact + " SIP/2.0"), ackAtCarol);

            // carol (the WebSocket server) hangs up: her BYE comes over the connection Siphon opened
            ws.send(SipDialog.fromCallee("BYE", atCarol, ok, "SIP/2.0/WS carol.invalid;branch=z9hG4bKwscbye", 1));
            String bye = alice.receive("BYE ", 5000);
            assertNotNull(bye, "carol's BYE reaches alice over UDP");
            alice.reply(bye, 200, "OK", "x", udpPort);
            String byeOk = ws.next("SIP/2.0 200");
            assertNotNull(byeOk, "alice's 200 to the BYE goes back to carol over the WebSocket");
            assertTrue(byeOk.contains("CSeq: 1 BYE"), byeOk);
            assertEquals(0, ws.unmasked.get());
        }
    }

    @Test
    void aMessageToAWssServerGoesOverTls() throws Exception {
        try (UdpPeer alice = new UdpPeer()) {
            alice.send(message("dave", alice.port(), "wss-m1"), udpPort);
            String atDave = wss.next("MESSAGE ");
            assertNotNull(atDave, "the MESSAGE reaches the WSS server");
            assertTrue(SipDialog.header(atDave, "Via").startsWith("SIP/2.0/WSS "), atDave);
            wss.send(SipDialog.reply(atDave, 200, "OK", "d1", null));
            assertNotNull(alice.receive("SIP/2.0 200", 5000), "dave's 200 comes back over WSS");
            Map<?, ?> c = clientTo(wss.port());
            assertNotNull(c, dump().toString());
            assertEquals("wss", c.get("transport"));
            assertEquals("client", c.get("mode"));
            assertEquals(0, wss.unmasked.get());
        }
    }

    @Test
    void aServerRefusingTheHandshakeFailsTheRequestOnly() throws Exception {
        try (UdpPeer alice = new UdpPeer()) {
            alice.send(message("erin", alice.port(), "wsc-bad"), udpPort);
            String answer = alice.receive("SIP/2.0 ", 15000);
            while (answer != null && answer.startsWith("SIP/2.0 100")) {
                answer = alice.receive("SIP/2.0 ", 15000);
            }
            assertNotNull(answer, "a final answer to the MESSAGE");
            assertTrue(UdpPeer.status(answer) >= 400, answer);
            assertEquals(1, refusing.handshakes.size(), "one handshake tried");
            assertTrue(SiphonServer.waitFor(3000, () -> logHas("WebSocket connection not opened")), "logged");
            assertEquals(null, clientTo(refusing.port()));
        }
    }

    @Test
    void aMaskedFrameFromTheServerClosesTheConnectionWith1002() throws Exception {
        try (UdpPeer alice = new UdpPeer()) {
            alice.send(message("frank", alice.port(), "wsc-mask"), udpPort);
            String atFrank = masking.next("MESSAGE ");
            assertNotNull(atFrank);
            masking.send(SipDialog.reply(atFrank, 200, "OK", "f1", null)); // masked: a server must not
            assertEquals(Integer.valueOf(1002), masking.closes.poll(5, java.util.concurrent.TimeUnit.SECONDS),
                    "Siphon's client side closes with protocol error");
            assertTrue(SiphonServer.waitFor(5000, () -> WebSocketWire.notListed(server, "127.0.0.1:" + masking.port())), "and forgets the connection");
            assertEquals(null, alice.receive("SIP/2.0 200", 500), "the masked 200 was not taken");
        }
    }

    @Test
    void aServerThatNeverAnswersTheHandshakeIsGivenUpAfterTheConnectTimeout() throws Exception {
        try (UdpPeer alice = new UdpPeer()) {
            long start = System.nanoTime();
            alice.send(message("gina", alice.port(), "wsc-silent"), udpPort);
            assertEquals(Integer.valueOf(1006), silent.closes.poll(10, java.util.concurrent.TimeUnit.SECONDS),
                    "Siphon closes the connection it opened");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 1500 && ms < 8000, "after tcp_connect_timeout (2000 ms): " + ms + " ms");
            String answer = alice.receive("SIP/2.0 ", 15000);
            while (answer != null && answer.startsWith("SIP/2.0 100")) {
                answer = alice.receive("SIP/2.0 ", 15000);
            }
            assertNotNull(answer, "a final answer to the MESSAGE");
            assertTrue(UdpPeer.status(answer) >= 400, answer);
            assertTrue(SiphonServer.waitFor(3000, () -> logHas("no answer to the WebSocket handshake in 2000 ms")), "logged");
            assertEquals(null, clientTo(silent.port()));
        }
    }

    static boolean logHas(String text) {
        try {
            return server.log().contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
