package org.siphon.core.internal.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.message.SipParserConfig;

class TcpTransportTest {

    private final NettyLoops loops = new NettyLoops(1);
    private final List<SipMessageImpl> received = new CopyOnWriteArrayList<>();
    private List<Transport> transports = List.of();

    @AfterEach
    void close() {
        transports.forEach(Transport::close);
        loops.shutdown();
    }

    private Transport bind(int lifetime, int maxConnections) throws Exception {
        transports = Transports.bind(ListenSpec.parse("tcp:127.0.0.1:0"), loops, SipParserConfig.DEFAULTS,
                (m, t) -> received.add(m), new Transports.Settings(1 << 20, lifetime, maxConnections, 2000));
        return transports.get(0);
    }

    @Test
    void idleConnectionsAreClosedAfterTheirLifetime() throws Exception {
        Transport t = bind(1, 10);
        try (Socket s = new Socket("127.0.0.1", t.local().getPort())) {
            s.setSoTimeout(5000);
            long t0 = System.nanoTime();
            InputStream in = s.getInputStream();
            assertEquals(-1, in.read());
            assertTrue((System.nanoTime() - t0) / 1_000_000 >= 800);
        }
    }

    @Test
    void connectionsBeyondTheLimitAreRefused() throws Exception {
        Transport t = bind(60, 1);
        try (Socket first = new Socket("127.0.0.1", t.local().getPort());
                Socket second = new Socket("127.0.0.1", t.local().getPort())) {
            second.setSoTimeout(5000);
            assertEquals(-1, second.getInputStream().read(), "the second connection is closed at once");
            first.getOutputStream().write(("OPTIONS sip:x SIP/2.0\r\nVia: SIP/2.0/TCP h;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=1\r\n"
                    + "To: <sip:b@y>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n").getBytes());
            long end = System.currentTimeMillis() + 5000;
            while (received.isEmpty() && System.currentTimeMillis() < end) {
                Thread.sleep(20);
            }
            assertEquals("c", received.get(0).callId());
        }
    }
}
