package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Requests in the manner of RFC 4475's invalid messages and of PROTOS c07-sip, against the
 * distribution with its default siphon.cfg: each gets one answer naming its fault, also when the
 * broken header is one the answer must copy (a CSeq beyond 2^31, a Via with empty parameters).
 * Every Request-URI and Via names 127.0.0.1: nothing is forwarded off the box.
 */
class MalformedRequestIT {

    @TempDir
    static Path dir;
    static SiphonServer server;
    static int sip;

    @BeforeAll
    static void start() throws Exception {
        sip = SiphonServer.freePort();
        server = SiphonServer.start(dir, "-l", "udp:127.0.0.1:" + sip, "-l", "tcp:127.0.0.1:" + sip);
        assertTrue(SiphonServer.waitFor(20_000, () -> {
            try {
                return Boolean.TRUE.equals(((java.util.Map<?, ?>) server.rpc.call("cfg.status")).get("loaded"));
            } catch (Exception e) {
                return false;
            }
        }), "the default script loads");
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    static String request(String method, String cseq, String via, String extra) {
        return method + " sip:user@127.0.0.1 SIP/2.0\r\nTo: sip:j.user@127.0.0.1\r\nFrom: sip:caller@127.0.0.1;tag=9\r\n"
                + "Max-Forwards: 7\r\nCall-ID: torture-" + System.nanoTime() + "\r\nCSeq: " + cseq + "\r\nVia: " + via
                + "\r\n" + extra + "Content-Length: 0\r\n\r\n";
    }

    /** One answer, the expected one, and no second one (RFC 4475 §3.3.4's unknown method answered twice before). */
    private static void answeredOnce(String message, String expected) throws Exception {
        try (UdpPeer ua = new UdpPeer()) {
            ua.send(message.replace("PORT", Integer.toString(ua.port())), sip);
            String reply = ua.receive(3000);
            assertNotNull(reply, "no answer to:\n" + message);
            assertTrue(reply.startsWith(expected), reply);
            assertNull(ua.receive(1000), "a second answer");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", value = {
        "empty Via parameters (RFC 4475 badinv01) => INVITE => 8 INVITE => SIP/2.0/UDP 127.0.0.1:PORT;;,;,, => SIP/2.0 400 Bad Via Header",
        "CSeq beyond 2^31 (scalar02) => OPTIONS => 36893488147419103232 OPTIONS => SIP/2.0/UDP 127.0.0.1:PORT;branch=z9hG4bKs2 => SIP/2.0 400 Bad CSeq Header",
        "CSeq method mismatch (unksm2) => NEWMETHOD => 0 ANOTHERMETHOD => SIP/2.0/UDP 127.0.0.1:PORT;branch=z9hG4bKu2 => SIP/2.0 400 CSeq Method Does Not Match Request",
        "CSeq without number => INVITE => abc INVITE => SIP/2.0/UDP 127.0.0.1:PORT;branch=z9hG4bKc1 => SIP/2.0 400 Bad CSeq Header",
        "CSeq without method => INVITE => 8 => SIP/2.0/UDP 127.0.0.1:PORT;branch=z9hG4bKc2 => SIP/2.0 400 Bad CSeq Header" })
    void aBrokenHeaderTheAnswerCopiesIsAnswered400(String name, String method, String cseq, String via, String expected)
            throws Exception {
        answeredOnce(request(method, cseq, via, ""), expected);
    }

    @Test
    void brokenFromToUriAndVersionAreAnsweredWithTheFault() throws Exception {
        String ok = request("INVITE", "8 INVITE", "SIP/2.0/UDP 127.0.0.1:PORT;branch=z9hG4bKf1", "");
        answeredOnce(ok.replace("From: sip:caller@127.0.0.1;tag=9", "From: <sip:caller@exa mple;tag=9"), "SIP/2.0 400 Bad From Header");
        answeredOnce(ok.replace("To: sip:j.user@127.0.0.1", "To: <sip:j.user@>>"), "SIP/2.0 400 Bad To Header");
        answeredOnce(ok.replace("INVITE sip:user@127.0.0.1 SIP/2.0", "INVITE sip:user@[:: SIP/2.0"), "SIP/2.0 400 Bad Request-URI");
        answeredOnce(ok.replace("INVITE sip:user@127.0.0.1 SIP/2.0", "INVITE sip:user@127.0.0.1 SIP/7.0"),
                "SIP/2.0 505 Version Not Supported");
    }

    /** RFC 4475 §3.3.5 (bext01): the default siphon.cfg's sanity check includes Proxy-Require (512). */
    @Test
    void anUnsupportedProxyRequireGets420() throws Exception {
        try (UdpPeer ua = new UdpPeer()) {
            ua.send(request("OPTIONS", "8 OPTIONS", "SIP/2.0/UDP 127.0.0.1:" + ua.port() + ";branch=z9hG4bKb1",
                    "Require: nothingSupportsThis\r\nProxy-Require: noProxiesSupportThis, norDoAnyProxiesSupportThis\r\n"), sip);
            String reply = ua.receive(3000);
            assertNotNull(reply);
            assertTrue(reply.startsWith("SIP/2.0 420 Bad Extension"), reply);
            assertEquals("noProxiesSupportThis, norDoAnyProxiesSupportThis", UdpPeer.header(reply, "Unsupported"), reply);
        }
    }

    /** RFC 4475 §3.1.2.4 (scalar02) over TCP: answered on the connection. */
    @Test
    void overTcpTooTheAnswerComesBackOnTheConnection() throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", sip), 3000);
            s.setSoTimeout(3000);
            String msg = request("REGISTER", "36893488147419103232 REGISTER", "SIP/2.0/TCP 127.0.0.1;branch=z9hG4bKs3",
                    "Expires: 1000000000000000000000000000000000000000000\r\n").replace("Max-Forwards: 7", "Max-Forwards: 300");
            OutputStream out = s.getOutputStream();
            out.write(msg.getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int n = in.read(buf);
            assertTrue(n > 0, "an answer on the connection");
            String reply = new String(buf, 0, n, StandardCharsets.UTF_8);
            assertTrue(reply.startsWith("SIP/2.0 400 Bad Max-Forwards Header"), "the first fault (Max-Forwards 300): " + reply);
            assertTrue(reply.contains("CSeq: 36893488147419103232 REGISTER"), "the CSeq goes back as it came: " + reply);
        }
    }
}
