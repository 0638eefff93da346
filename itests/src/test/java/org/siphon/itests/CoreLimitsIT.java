package org.siphon.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SIP core under tight limits set through ConfigAdmin (PID {@code org.siphon.core}): one
 * worker with a short queue sheds a burst with 503 and Retry-After, an idle TCP connection is
 * closed after {@code tcp_connection_lifetime}, and a request too big for UDP leaves over TCP.
 */
class CoreLimitsIT {

    @TempDir
    static Path dir;
    static EmbeddedSiphon siphon;
    static int port;
    static volatile long routingDelayMillis;

    @BeforeAll
    static void boot() throws Exception {
        port = SiphonServer.freePort();
        siphon = EmbeddedSiphon.boot(dir, Map.of("siphon.listen.0", "udp:127.0.0.1:" + port,
                "siphon.listen.1", "tcp:127.0.0.1:" + port));
        Object configAdmin = siphon.service("org.osgi.service.cm.ConfigurationAdmin");
        Object configuration = EmbeddedSiphon.invoke(configAdmin, "getConfiguration", "org.siphon.core", "?");
        Hashtable<String, Object> props = new Hashtable<>();
        props.put("children", 1);
        props.put("queue", 16);
        props.put("tcp_connection_lifetime", 2);
        EmbeddedSiphon.invoke(configuration, "update", props);
        siphon.registerRanked("org.siphon.core.proxy.SipRouting", 100, (method, args) -> switch (method) {
            case "request" -> {
                Thread.sleep(routingDelayMillis);
                EmbeddedSiphon.invoke(siphon.service("org.siphon.core.proxy.SipCore"), "forward", args[1], null);
                yield null;
            }
            case "response" -> true;
            default -> throw new IllegalStateException("unexpected call of " + method);
        });
        assertTrue(SiphonServer.waitFor(10_000, () -> {
            try {
                return ((java.util.List<?>) siphon.rpc.call("core.ps")).stream()
                        .filter(p -> p.toString().contains("SIP worker")).count() == 1;
            } catch (Exception e) {
                return false;
            }
        }), "the core did not restart with one worker");
    }

    @AfterAll
    static void shutdown() throws Exception {
        if (siphon != null) {
            siphon.close();
        }
    }

    private static byte[] options(int from, int i, String target) {
        return ("OPTIONS " + target + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + from + ";branch=z9hG4bKo" + i
                + ";rport\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:b@y>\r\nCall-ID: burst-" + i + "\r\nCSeq: 1 OPTIONS\r\n"
                + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aBurstBeyondTheQueueIsShedWith503AndRetryAfter() throws Exception {
        routingDelayMillis = 50;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            s.setSoTimeout(3000);
            InetAddress lo = InetAddress.getByName("127.0.0.1");
            for (int i = 0; i < 60; i++) {
                byte[] m = options(s.getLocalPort(), i, "sip:nobody@127.0.0.1:9");
                s.send(new DatagramPacket(m, m.length, lo, port));
            }
            int shed = 0;
            boolean retryAfter = false;
            try {
                while (true) {
                    DatagramPacket in = new DatagramPacket(new byte[4096], 4096);
                    s.receive(in);
                    String answer = new String(in.getData(), 0, in.getLength(), StandardCharsets.UTF_8);
                    if (answer.startsWith("SIP/2.0 503 ")) {
                        shed++;
                        retryAfter |= answer.contains("\r\nRetry-After: 5\r\n");
                    }
                }
            } catch (SocketTimeoutException done) {
                // no more answers
            }
            assertTrue(shed > 20, "only " + shed + " of 60 requests were shed");
            assertTrue(retryAfter, "503 without Retry-After");
            Map<?, ?> stats = (Map<?, ?>) siphon.rpc.call("stats.get_statistics", "core:overload_rejects");
            assertEquals((long) shed, ((Number) stats.get("core:overload_rejects")).longValue());
        } finally {
            routingDelayMillis = 0;
        }
    }

    @Test
    void anIdleTcpConnectionIsClosedAfterItsLifetime() throws Exception {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            long t0 = System.nanoTime();
            InputStream in = s.getInputStream();
            assertEquals(-1, in.read(), "the server should close the idle connection");
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            assertTrue(seconds >= 1 && seconds <= 6, "closed after " + seconds + " s, lifetime is 2 s");
        }
    }

    @Test
    void aRequestTooBigForUdpLeavesOverTcp() throws Exception {
        try (ServerSocket tcp = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
                DatagramSocket client = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            tcp.setSoTimeout(5000);
            String body = "x".repeat(2000);
            byte[] m = ("MESSAGE sip:big@127.0.0.1:" + tcp.getLocalPort() + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:"
                    + client.getLocalPort() + ";branch=z9hG4bKbig;rport\r\nFrom: <sip:a@x>;tag=1\r\nTo: <sip:big@y>\r\n"
                    + "Call-ID: big-1\r\nCSeq: 1 MESSAGE\r\nContent-Type: text/plain\r\nContent-Length: 2000\r\n\r\n" + body)
                    .getBytes(StandardCharsets.UTF_8);
            client.send(new DatagramPacket(m, m.length, InetAddress.getByName("127.0.0.1"), port));
            try (Socket accepted = tcp.accept()) {
                accepted.setSoTimeout(5000);
                byte[] head = accepted.getInputStream().readNBytes(300);
                String text = new String(head, StandardCharsets.UTF_8);
                assertTrue(text.startsWith("MESSAGE sip:big@127.0.0.1:" + tcp.getLocalPort() + " SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:"
                        + port + ";branch=z9hG4bK"), text);
            }
        }
    }
}
