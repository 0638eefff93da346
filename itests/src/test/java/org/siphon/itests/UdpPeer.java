package org.siphon.itests;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SIP peer on a UDP socket of 127.0.0.1 for tests that need exact control: send a request
 * as written, receive the next message (or nothing, within a timeout), answer a received
 * request (Vias, From, To with a tag, Call-ID and CSeq copied). Not thread-safe.
 */
final class UdpPeer implements AutoCloseable {

    private final DatagramSocket socket;

    UdpPeer() throws IOException {
        this("127.0.0.1");
    }

    /** A peer on another loopback address (127.0.0.2 …), a different source for the server. */
    UdpPeer(String host) throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(host, 0));
    }

    int port() {
        return socket.getLocalPort();
    }

    void send(String message, int port) throws IOException {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        socket.send(new DatagramPacket(b, b.length, InetAddress.getByName("127.0.0.1"), port));
    }

    /** The source port of the last message received (which of the server's sockets sent it). */
    volatile int lastSourcePort;

    /** The next message, or null when none comes within {@code millis}. */
    String receive(long millis) throws IOException {
        socket.setSoTimeout((int) Math.max(1, millis));
        byte[] buf = new byte[65_536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        lastSourcePort = p.getPort();
        return new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
    }

    /** The next message whose first line starts with {@code start}, skipping others; null on timeout. */
    String receive(String start, long millis) throws IOException {
        long end = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < end) {
            String m = receive(end - System.currentTimeMillis());
            if (m == null) {
                return null;
            }
            if (m.startsWith(start)) {
                return m;
            }
        }
        return null;
    }

    /** Every message received within {@code millis}. */
    List<String> drain(long millis) throws IOException {
        List<String> all = new ArrayList<>();
        long end = System.currentTimeMillis() + millis;
        String m;
        while (System.currentTimeMillis() < end && (m = receive(end - System.currentTimeMillis())) != null) {
            all.add(m);
        }
        return all;
    }

    /** Answers {@code request} (as received from {@code port}) with code and reason. */
    void reply(String request, int code, String reason, String toTag, int port) throws IOException {
        reply(request, code, reason, toTag, port, "");
    }

    /** As above, with {@code extra} header lines (each ending in CRLF). */
    void reply(String request, int code, String reason, String toTag, int port, String extra) throws IOException {
        StringBuilder sb = new StringBuilder("SIP/2.0 " + code + " " + reason + "\r\n");
        for (String line : request.split("\r\n")) {
            String lower = line.toLowerCase();
            if (lower.startsWith("via:") || lower.startsWith("from:") || lower.startsWith("call-id:")
                    || lower.startsWith("cseq:") || lower.startsWith("record-route:")) {
                sb.append(line).append("\r\n");
            } else if (lower.startsWith("to:")) {
                sb.append(line).append(code > 100 && !lower.contains(";tag=") ? ";tag=" + toTag : "").append("\r\n");
            }
        }
        sb.append(extra);
        sb.append("Contact: <sip:peer@127.0.0.1:").append(port()).append(">\r\nContent-Length: 0\r\n\r\n");
        send(sb.toString(), port);
    }

    /** A header's value in a message, or null. */
    static String header(String message, String name) {
        Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":\\s*(.*)$").matcher(message);
        return m.find() ? m.group(1).trim() : null;
    }

    /** The status code of a response. */
    static int status(String response) {
        return Integer.parseInt(response.substring(8, 11));
    }

    static String request(String method, String ruri, int fromPort, String callId, int cseq, String branch,
            String extra) {
        return method + " " + ruri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:" + fromPort + ";branch=" + branch + ";rport\r\n"
                + "Max-Forwards: 70\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=a" + callId.hashCode() + "\r\n"
                + "To: <" + ruri + ">\r\n"
                + "Call-ID: " + callId + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n"
                + "Contact: <sip:alice@127.0.0.1:" + fromPort + ">\r\n"
                + extra + "Content-Length: 0\r\n\r\n";
    }

    @Override
    public void close() {
        socket.close();
    }
}
