package org.siphon.test;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.siphon.core.sip.SipMessage;

/**
 * A SIP peer over UDP on 127.0.0.1 (an ephemeral port) for tests against a running server: sends
 * text, receives and parses what comes back, every wait bounded. Not thread-safe; one test thread.
 */
public final class LoopbackPeer implements AutoCloseable {

    private final DatagramSocket socket;

    public LoopbackPeer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    /** The port this peer listens on, for its Via and Contact. */
    public int port() {
        return socket.getLocalPort();
    }

    /** {@code 127.0.0.1:port}. */
    public String hostPort() {
        return "127.0.0.1:" + port();
    }

    /** Sends {@code text} (a whole message, CRLF line ends) to 127.0.0.1:{@code port}. */
    public void send(String text, int port) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(b, b.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
    }

    /** The next message that arrives within {@code timeout}, parsed, or null if none did. */
    public SipMessage receive(Duration timeout) throws IOException {
        byte[] buf = new byte[65_535];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return TestMessages.parse(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
    }

    /**
     * Sends {@code text} and returns the first reply within {@code timeout} whose status is final
     * (≥ 200), skipping provisional ones; null if none came.
     */
    public SipMessage request(String text, int port, Duration timeout) throws IOException {
        send(text, port);
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return null;
            }
            SipMessage m = receive(Duration.ofNanos(left));
            if (m == null || !(m instanceof org.siphon.core.sip.SipResponse r) || r.status() >= 200) {
                return m;
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
