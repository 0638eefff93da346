package org.siphon.test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.message.SipMessageParser;
import org.siphon.core.internal.message.SipMessageWriter;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipSource;

/**
 * Messages as the core's transports make them: text parsed by the core's parser (as a datagram, so a
 * missing Content-Length is no fault), and written back with the edits a function made, as the core
 * sends them. Thread-safe.
 */
public final class TestMessages {

    private TestMessages() {
    }

    /**
     * The message in {@code text} (CRLF line ends) with no source (as a module builds one; see
     * {@link #parse(String, SipSource)} for a received one); malformed text gives {@link SipMessage#error()}.
     */
    public static SipMessage parse(String text) {
        return SipMessageParser.DEFAULT.parse(text.getBytes(StandardCharsets.UTF_8), true);
    }

    /** As {@link #parse(String)}, received as {@code source} says (e.g. {@link #udpFrom}). */
    public static SipMessage parse(String text, SipSource source) {
        SipMessageImpl m = SipMessageParser.DEFAULT.parse(text.getBytes(StandardCharsets.UTF_8), true);
        m.source(source);
        return m;
    }

    /** The source of a UDP datagram from {@code ip}:{@code port} to 127.0.0.1:5060. */
    public static SipSource udpFrom(String ip, int port) {
        return new SipSource("udp", new InetSocketAddress(ip, port), new InetSocketAddress("127.0.0.1", 5060));
    }

    /** The bytes the core would send for {@code message}: its edits applied. */
    public static byte[] bytes(SipMessage message) {
        return SipMessageWriter.write(message);
    }

    /** {@link #bytes} as text. */
    public static String text(SipMessage message) {
        return new String(bytes(message), StandardCharsets.UTF_8);
    }

    /**
     * A small request: {@code method} to {@code ruri} with one Via (branch z9hG4bK-test), From
     * alice@example.com with a tag, To the request URI, a Call-ID, CSeq 1 and {@code extraHeaders}
     * (each ending in CRLF), no body.
     */
    public static String request(String method, String ruri, String extraHeaders) {
        return method + " " + ruri + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-test\r\n"
                + "From: <sip:alice@example.com>;tag=t1\r\n"
                + "To: <" + ruri + ">\r\n"
                + "Call-ID: test-call@192.0.2.1\r\n"
                + "CSeq: 1 " + method + "\r\n"
                + "Max-Forwards: 70\r\n"
                + extraHeaders
                + "Content-Length: 0\r\n\r\n";
    }
}
