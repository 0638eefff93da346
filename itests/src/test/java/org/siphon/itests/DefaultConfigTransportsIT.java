package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * served without a restart; POST /RPC on the SIP TCP port; a WebSocket client registers.
 */
class DefaultConfigTransportsIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int tcpPort;
    static int tlsPort;

    @BeforeAll
    static void start() throws Exception {
        tcpPort = SiphonServer.freePort();
        tlsPort = SiphonServer.freePort();
        server = SiphonServer.start(dir, "-A", "WITH_TLS", "-A", "WITH_JSONRPC", "-A", "WITH_WEBSOCKETS",
                "-l", "udp:127.0.0.1:" + SiphonServer.freePort(), "-l", "tcp:127.0.0.1:" + tcpPort,
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
}
