package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIP over WebSocket (RFC 7118) from the distribution, with the JDK's WebSocket client as the
 * browser: the handshake in event_route[xhttp:request] (ws_handle_handshake, as Kamailio's
 * WebRTC configs write it), a REGISTER over the WebSocket with an .invalid contact
 * (fix_nated_register keeps where it came from), a MESSAGE from a UDP user delivered over the
 * WebSocket and its 200 back, a MESSAGE from the WebSocket user to the UDP user; a handshake
 * without the sip sub-protocol refused, an unmasked frame closing the connection with 1002;
 * keepalives (timeout 2 s, interval 1 s): a JDK client is pinged and, answering, stays; a raw
 * client that never answers the ping is closed with 1001.
 */
class WebSocketIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int tcpPort;
    static int udpPort;

    static final String SCRIPT = """
            #!KAMAILIO
            tcp_accept_no_cl=yes
            loadmodule "sl.so"
            loadmodule "tm.so"
            loadmodule "registrar.so"
            loadmodule "nathelper.so"
            loadmodule "xhttp.so"
            loadmodule "websocket.so"
            modparam("nathelper|registrar", "received_avp", "$avp(RECEIVED)")
            modparam("websocket", "keepalive_timeout", 2)
            modparam("websocket", "keepalive_interval", 1)
            modparam("websocket", "ping_application_data", "siphon-ka")

            request_route {
                if (nat_uac_test("64")) {
                    xlog("L_INFO", "WS-CONID $ws_conid $rm\n");
                    force_rport();
                    if (is_method("REGISTER")) {
                        fix_nated_register();
                    }
                }
                if (is_method("REGISTER")) {
                    save("location");
                    exit;
                }
                if (has_totag()) {
                    t_relay();
                    exit;
                }
                if (!lookup("location")) {
                    sl_send_reply("404", "Not Found");
                    exit;
                }
                t_relay();
            }

            event_route[websocket:closed] {
                xlog("L_INFO", "WS-CLOSED $ws_conid $si:$sp $pr\n");
            }

            event_route[xhttp:request] {
                if ($hdr(Upgrade) =~ "websocket" && $hdr(Connection) =~ "Upgrade" && $rm =~ "GET") {
                    if (ws_handle_handshake()) {
                        exit;
                    }
                }
                xhttp_reply("404", "Not Found", "", "");
            }
            """;

    @BeforeAll
    static void start() throws Exception {
        Path cfg = dir.resolve("ws.cfg");
        Files.writeString(cfg, SCRIPT);
        tcpPort = SiphonServer.freePort();
        udpPort = SiphonServer.freePort();
        server = SiphonServer.start(dir, "-f", cfg.toString(), "-l", "tcp:127.0.0.1:" + tcpPort, "-l", "udp:127.0.0.1:" + udpPort).awaitSettled();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    /** A WebSocket client collecting whole text messages. */
    static final class Client implements WebSocket.Listener {
        final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final LinkedBlockingQueue<String> pings = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;
        volatile int closeStatus = -1;

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeStatus = statusCode;
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, java.nio.ByteBuffer message) {
            pings.add(StandardCharsets.UTF_8.decode(message).toString());
            webSocket.request(1);
            return null; // the JDK answers with a pong of the same data
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        String next(String start) throws InterruptedException {
            return WebSocketWire.next(messages, start);
        }

        void send(String sip) {
            ws.sendText(sip, true).join();
        }
    }

    static Client connect(String... subprotocols) {
        Client c = new Client();
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
        if (subprotocols.length > 0) {
            b.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        c.ws = b.buildAsync(URI.create("ws://127.0.0.1:" + tcpPort + "/"), c).join();
        return c;
    }

    @Test
    void aWebSocketUserRegistersAndTalksWithAUdpUser() throws Exception {
        Client alice = connect("sip");
        assertEquals("sip", alice.ws.getSubprotocol());
        try (UdpPeer bob = new UdpPeer()) {
            alice.send("REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKws1\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=w1\r\nTo: <sip:alice@127.0.0.1>\r\n"
                    + "Call-ID: ws-reg-1\r\nCSeq: 1 REGISTER\r\nContact: <sip:alice@df7jal23ls0d.invalid;transport=ws>\r\n"
                    + "Expires: 600\r\nContent-Length: 0\r\n\r\n");
            String registered = alice.next("SIP/2.0 ");
            assertNotNull(registered, "an answer to the REGISTER over the WebSocket");
            assertTrue(registered.startsWith("SIP/2.0 200"), registered);
            bob.send("REGISTER sip:127.0.0.1:" + udpPort + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + bob.port()
                    + ";branch=z9hG4bKwsbob;rport\r\nMax-Forwards: 70\r\nFrom: <sip:bob@127.0.0.1>;tag=b1\r\n"
                    + "To: <sip:bob@127.0.0.1>\r\nCall-ID: ws-bob-reg\r\nCSeq: 1 REGISTER\r\nContact: <sip:bob@127.0.0.1:"
                    + bob.port() + ">\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n", udpPort);
            assertNotNull(bob.receive("SIP/2.0 200", 3000));

            // bob (UDP) to alice (WebSocket)
            bob.send("MESSAGE sip:alice@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + bob.port()
                    + ";branch=z9hG4bKwsm1;rport\r\nMax-Forwards: 70\r\nFrom: <sip:bob@127.0.0.1>;tag=bm1\r\n"
                    + "To: <sip:alice@127.0.0.1>\r\nCall-ID: ws-msg-1\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\n"
                    + "Content-Length: 2\r\n\r\nhi", udpPort);
            String atAlice = alice.next("MESSAGE ");
            assertNotNull(atAlice, "the MESSAGE reaches alice over her WebSocket");
            assertTrue(atAlice.contains("SIP/2.0/WS "), "Siphon's Via says WS: " + atAlice);
            StringBuilder ok = new StringBuilder("SIP/2.0 200 OK\r\n");
            for (String line : atAlice.split("\r\n")) {
                String l = line.toLowerCase();
                if (l.startsWith("via:") || l.startsWith("from:") || l.startsWith("call-id:") || l.startsWith("cseq:")) {
                    ok.append(line).append("\r\n");
                } else if (l.startsWith("to:")) {
                    ok.append(line).append(";tag=a1\r\n");
                }
            }
            alice.send(ok.append("Content-Length: 0\r\n\r\n").toString());
            assertNotNull(bob.receive("SIP/2.0 200", 5000), "alice's 200 comes back to bob over UDP");

            // alice (WebSocket) to bob (UDP)
            alice.send("MESSAGE sip:bob@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bKwsm2\r\n"
                    + "Max-Forwards: 70\r\nFrom: <sip:alice@127.0.0.1>;tag=am2\r\nTo: <sip:bob@127.0.0.1>\r\n"
                    + "Call-ID: ws-msg-2\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello");
            String atBob = bob.receive("MESSAGE sip:bob@", 5000);
            assertNotNull(atBob, "alice's MESSAGE reaches bob over UDP");
            bob.reply(atBob, 200, "OK", "bm2", udpPort);
            assertNotNull(alice.next("SIP/2.0 200"), "bob's 200 comes back over the WebSocket");

            // ws.dump lists alice's connection, $ws_conid named it, ws.close ends it with 1000
            List<?> conns = wsDump();
            assertEquals(1, conns.size(), conns.toString());
            long id = ((Number) ((Map<?, ?>) conns.get(0)).get("id")).longValue();
            String src = (String) ((Map<?, ?>) conns.get(0)).get("src");
            assertEquals("ws", ((Map<?, ?>) conns.get(0)).get("transport"));
            assertTrue(server.log().contains("WS-CONID " + id + " REGISTER"), "$ws_conid in the route");
            assertEquals("ok", server.rpc.call("ws.close", id));
            assertTrue(SiphonServer.waitFor(5000, () -> alice.closeStatus == 1000), "the client got close 1000: " + alice.closeStatus);
            assertTrue(SiphonServer.waitFor(5000, () -> {
                try {
                    return wsDump().isEmpty();
                } catch (Exception e) {
                    return false;
                }
            }), "ws.dump is empty once it closed");
            assertTrue(SiphonServer.waitFor(5000, () -> logHas("WS-CLOSED " + id + " " + src + " ws")),
                    "event_route[websocket:closed] ran with $ws_conid, $si:$sp and $pr of the connection");
        } finally {
            alice.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
    }

    @Test
    void aHandshakeWithoutTheSipSubProtocolIsRefused() {
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, () -> connect("chat"));
        assertTrue(e.getCause() instanceof java.net.http.WebSocketHandshakeException, e.toString());
        assertEquals(400, ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
    }

    @Test
    void anUnmaskedFrameClosesTheConnectionWith1002() throws Exception {
        try (Socket s = new Socket("127.0.0.1", tcpPort)) {
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            String head = WebSocketWire.handshake(in, out);
            assertTrue(head.startsWith("HTTP/1.1 101 "), head);
            assertTrue(head.contains("Sec-WebSocket-Accept: " + WebSocketWire.SAMPLE_ACCEPT), "RFC 6455's example key: " + head);
            WebSocketWire.writeFrame(out, WebSocketWire.TEXT, "OPTIONS".getBytes(StandardCharsets.US_ASCII), false); // no mask bit
            WebSocketWire.Frame close = WebSocketWire.readFrameSkippingPings(in); // a keepalive ping may come first
            assertEquals(0x88, close == null ? -1 : close.first(), "a close frame");
            assertTrue(close.payload().length >= 2);
            assertEquals(1002, close.closeCode(), "protocol error");
        }
    }

    static List<?> wsDump() throws Exception {
        return WebSocketWire.connections(server);
    }

    static Map<?, ?> wsEntry(String src) throws Exception {
        return WebSocketWire.connection(server, src);
    }

    @Test
    void anIdleClientIsPingedAndStaysWhileItAnswers() throws Exception {
        Client c = connect("sip");
        try {
            long start = System.nanoTime();
            assertEquals("siphon-ka", c.pings.poll(8, TimeUnit.SECONDS), "a ping with ping_application_data");
            long firstMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(firstMs >= 1500, "not before keepalive_timeout (2 s) of silence: " + firstMs + " ms");
            assertEquals("siphon-ka", c.pings.poll(8, TimeUnit.SECONDS), "a second ping: the pong kept it open");
            assertEquals("siphon-ka", c.pings.poll(8, TimeUnit.SECONDS), "and a third");
            assertEquals(-1, c.closeStatus, "still open after three rounds of 2 s");
            assertTrue(SiphonServer.waitFor(3000, () -> {
                try {
                    return wsDump().size() == 1;
                } catch (Exception ex) {
                    return false;
                }
            }), "ws.dump still lists it (and only it)");
            Map<?, ?> e = (Map<?, ?>) wsDump().get(0);
            assertEquals("server", e.get("mode"));
            assertEquals("OPEN", e.get("state"));
            assertTrue(((Number) e.get("last_used_seconds")).longValue() <= 3, e.toString());
        } finally {
            c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }
        assertTrue(SiphonServer.waitFor(5000, () -> {
            try {
                return wsDump().isEmpty();
            } catch (Exception ex) {
                return false;
            }
        }), "gone from ws.dump after the close");
    }

    @Test
    void aClientThatNeverAnswersThePingIsClosedWith1001() throws Exception {
        try (Socket s = new Socket("127.0.0.1", tcpPort)) {
            s.setSoTimeout(15000);
            InputStream in = s.getInputStream();
            assertTrue(WebSocketWire.handshake(in, s.getOutputStream()).startsWith("HTTP/1.1 101 "));
            String src = "127.0.0.1:" + s.getLocalPort();
            WebSocketWire.Frame ping = WebSocketWire.readFrame(in);
            assertEquals(0x89, ping == null ? -1 : ping.first(), "a ping frame (FIN + opcode 9)");
            assertEquals(false, ping.masked(), "server frames are unmasked");
            assertEquals("siphon-ka", ping.text());
            long start = System.nanoTime();
            assertTrue(SiphonServer.waitFor(3000, () -> {
                try {
                    Map<?, ?> e = wsEntry(src);
                    return e != null && Boolean.TRUE.equals(e.get("awaiting_pong"));
                } catch (Exception ex) {
                    return false;
                }
            }), "ws.dump says it awaits the pong");
            WebSocketWire.Frame close = WebSocketWire.readFrame(in);
            assertEquals(0x88, close == null ? -1 : close.first(), "then, unanswered, a close frame");
            assertTrue(close.payload().length >= 2);
            assertEquals(1001, close.closeCode(), "going away: " + close.closeReason());
            assertEquals(-1, in.read(), "and the connection ends");
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(ms >= 1500 && ms < 8000, "closed about keepalive_timeout after the ping: " + ms + " ms");
            assertTrue(SiphonServer.waitFor(3000, () -> WebSocketWire.notListed(server, src)), "gone from ws.dump");
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
