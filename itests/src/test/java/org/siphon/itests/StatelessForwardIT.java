package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;

/**
 * Calls through the core's stateless forwarding with real SIPp peers: UDP to UDP, TCP to TCP and
 * UDP to TCP, and malformed requests answered 400. The routing logic is a service that forwards
 * every request to its Request-URI — what {@code request_route { forward(); }} will do once the
 * script engine exists.
 */
class StatelessForwardIT {

    @TempDir
    static Path dir;
    static EmbeddedSiphon siphon;
    static ServiceRegistration<?> routing;
    static int proxyPort;
    static final int CALLS = 5;

    @BeforeAll
    static void boot() throws Exception {
        proxyPort = SiphonServer.freePort();
        siphon = EmbeddedSiphon.boot(dir, Map.of("siphon.listen.0", "udp:127.0.0.1:" + proxyPort,
                "siphon.listen.1", "tcp:127.0.0.1:" + proxyPort, "siphon.listen.2", "udp:[::1]:" + proxyPort));
        Object core = siphon.service("org.siphon.core.proxy.SipCore");
        routing = siphon.registerRanked("org.siphon.core.proxy.SipRouting", 100, (method, args) -> switch (method) {
            case "request" -> {
                EmbeddedSiphon.invoke(core, "forward", args[1], null);
                yield null;
            }
            case "response" -> true;
            default -> throw new IllegalStateException("unexpected call of " + method);
        });
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (siphon != null) {
            siphon.close();
        }
    }

    private static long stat(String name) throws Exception {
        return ((Number) ((Map<?, ?>) siphon.rpc.call("stats.get_statistics", name)).get(name)).longValue();
    }

    private void call(String callerTransport, String calleeTransport, String uriParams) throws Exception {
        call("127.0.0.1", callerTransport, calleeTransport, uriParams);
    }

    private void call(String ip, String callerTransport, String calleeTransport, String uriParams) throws Exception {
        Path work = Files.createTempDirectory(dir, "call");
        Path scenario = Sipp.scenario(work, "uac_via_proxy.xml");
        int uasPort = SiphonServer.freePort();
        long forwardedBefore = stat("core:fwd_requests");
        String host = ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip;
        Sipp.Running uas = Sipp.uas(work, ip, uasPort, calleeTransport, CALLS);
        try {
            uas.awaitListening(uasPort, calleeTransport);
            Sipp.Running uac = Sipp.uac(work, scenario, ip, SiphonServer.freePort(),
                    host + ":" + proxyPort, "uas@" + host + ":" + uasPort + uriParams, callerTransport, CALLS);
            int rc = uac.await(60);
            assertEquals(0, rc, "UAC failed; UAC log:\n" + uac.log() + "\nUAS log:\n" + uas.log());
            assertEquals(0, uas.await(30), "UAS failed:\n" + uas.log());
        } finally {
            uas.stop();
        }
        assertEquals(3L * CALLS, stat("core:fwd_requests") - forwardedBefore, "INVITE, ACK and BYE forwarded once each");
    }

    @Test
    void udpToUdp() throws Exception {
        call("u1", "u1", "");
    }

    @Test
    void tcpToTcp() throws Exception {
        call("t1", "t1", ";transport=tcp");
    }

    @Test
    void udpCallerToTcpCallee() throws Exception {
        call("u1", "t1", ";transport=tcp");
    }

    @Test
    void ipv6ToIpv6() throws Exception {
        call("::1", "u1", "u1", "");
    }

    /** Sends one request over UDP and returns the first answer. */
    private static String exchange(String request) throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(5000);
            byte[] out = request.replace("PORT", Integer.toString(s.getLocalPort())).getBytes(StandardCharsets.UTF_8);
            s.send(new DatagramPacket(out, out.length, InetAddress.getByName("127.0.0.1"), proxyPort));
            DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
            s.receive(in);
            return new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
        }
    }

    private static String request(String requestLine, String method, String extra) {
        return requestLine + "\r\nVia: SIP/2.0/UDP 127.0.0.1:PORT;branch=z9hG4bK" + System.nanoTime()
                + ";rport\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:x@h>\r\nCall-ID: t-" + System.nanoTime()
                + "\r\nCSeq: 1 " + method + "\r\n" + extra + "Content-Length: 0\r\n\r\n";
    }

    @Test
    void forwardAnswersWhatItCannotRoute() throws Exception {
        assertTrue(exchange(request("NEWMETHOD name:user SIP/2.0", "NEWMETHOD", ""))
                .startsWith("SIP/2.0 416 Unsupported URI Scheme\r\n"));
        String ext = exchange(request("OPTIONS sip:u@127.0.0.1:9 SIP/2.0", "OPTIONS", "Proxy-Require: foo, bar\r\n"));
        assertTrue(ext.startsWith("SIP/2.0 420 Bad Extension\r\n"), ext);
        assertTrue(ext.contains("\r\nUnsupported: foo, bar\r\n"), ext);
        assertTrue(exchange(request("OPTIONS sip:u@127.0.0.1:9 SIP/2.0", "OPTIONS", "Max-Forwards: 0\r\n"))
                .startsWith("SIP/2.0 483 Too Many Hops\r\n"));
        String unresolvable = exchange(request("OPTIONS sip:u@no-such-host.invalid SIP/2.0", "OPTIONS", ""));
        assertTrue(unresolvable.startsWith("SIP/2.0 478 Unresolvable Destination\r\n"), unresolvable);
        String loop = exchange(request("OPTIONS sip:u@127.0.0.1:" + proxyPort + " SIP/2.0", "OPTIONS", ""));
        assertTrue(loop.startsWith("SIP/2.0 482 Loop Detected\r\n"), loop);
        assertEquals(1, loop.split("\r\nVia: ", -1).length - 1, "the 482 came back through the proxy: " + loop);
    }

    @Test
    void tcpKeepAlivePingsArePonged() throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", proxyPort)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] pong = s.getInputStream().readNBytes(2);
            assertEquals("\r\n", new String(pong, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void malformedRequestsAreAnswered400WithTheFault() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(5000);
            String bad = "OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + s.getLocalPort()
                    + ";branch=z9hG4bKbad;rport\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:x@h>\r\nCall-ID: bad-1\r\n"
                    + "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
            byte[] out = bad.getBytes(StandardCharsets.UTF_8);
            s.send(new DatagramPacket(out, out.length, InetAddress.getByName("127.0.0.1"), proxyPort));
            DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
            s.receive(in);
            String answer = new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
            assertTrue(answer.startsWith("SIP/2.0 400 CSeq Method Does Not Match Request\r\n"), answer);
            assertTrue(answer.contains(";rport=" + s.getLocalPort()) || answer.contains("branch=z9hG4bKbad"), answer);
            assertTrue(answer.contains("Call-ID: bad-1\r\n"), answer);
        }
    }
}
