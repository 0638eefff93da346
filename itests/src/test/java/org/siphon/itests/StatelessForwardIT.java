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
                "siphon.listen.1", "tcp:127.0.0.1:" + proxyPort));
        Object core = siphon.service("org.siphon.core.proxy.SipCore");
        routing = siphon.register("org.siphon.core.proxy.SipRouting", (method, args) -> switch (method) {
            case "request" -> {
                EmbeddedSiphon.invoke(core, "forward", args[1], null);
                yield null;
            }
            case "response" -> true;
            default -> throw new UnsupportedOperationException(method);
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
        Path work = Files.createTempDirectory(dir, "call");
        Path scenario = Sipp.scenario(work, "uac_via_proxy.xml");
        int uasPort = SiphonServer.freePort();
        long forwardedBefore = stat("core:fwd_requests");
        Sipp.Running uas = Sipp.uas(work, "127.0.0.1", uasPort, calleeTransport, CALLS);
        try {
            Thread.sleep(300);
            Sipp.Running uac = Sipp.uac(work, scenario, "127.0.0.1", SiphonServer.freePort(),
                    "127.0.0.1:" + proxyPort, "uas@127.0.0.1:" + uasPort + uriParams, callerTransport, CALLS);
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
