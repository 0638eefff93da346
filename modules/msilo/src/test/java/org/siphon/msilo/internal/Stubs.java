package org.siphon.msilo.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.siphon.core.function.RouteType;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipMessages;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.SipSource;
import org.siphon.tm.TmApi;
import org.siphon.test.TestConfigs;
import org.siphon.tm.UacRequest;
import org.siphon.test.TestActionContext;

/** tm's UAC as lists and the messages the tests route; the database and the contexts are siphon-test's (TestDatabase, TestActionContext). */
final class Stubs {

    private static final AtomicInteger DBS = new AtomicInteger();

    private Stubs() {
    }

    /** The configuration: defaults, with {@code overrides} by method name (e.g. {@code max__messages}). */
    static MsiloComponent.Config config(Object... overrides) {
        return TestConfigs.of(MsiloComponent.Config.class, overrides);
    }

    /** tm's UAC: every request kept with the future the test completes. */
    static final class Tm implements TmApi {
        record Sent(UacRequest request, CompletableFuture<SipResponse> reply) {
        }

        final List<Sent> sent = new CopyOnWriteArrayList<>();

        @Override public CompletableFuture<SipResponse> send(UacRequest request) {
            CompletableFuture<SipResponse> f = new CompletableFuture<>();
            sent.add(new Sent(request, f));
            return f;
        }
        @Override public int transactionCount() { return 0; }

        /** Answers the i-th request sent. */
        void answer(int i, int code) {
            sent.get(i).reply().complete(response(code));
        }
    }

    static SipResponse response(int code) {
        String text = "SIP/2.0 " + code + " " + (code < 300 ? "OK" : "Nope") + "\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKx\r\n"
                + "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 MESSAGE\r\nContent-Length: 0\r\n\r\n";
        return (SipResponse) SipMessages.parse(text.getBytes(StandardCharsets.UTF_8),
                new SipSource("udp", new InetSocketAddress("127.0.0.1", 5070), new InetSocketAddress("127.0.0.1", 5060)));
    }

    /** A MESSAGE from alice to {@code to} with this body (null: none) and Content-Type (null: none). */
    static TestActionContext message(String ruri, String from, String to, String contentType, byte[] body) {
        byte[] b = body == null ? new byte[0] : body;
        String head = "MESSAGE " + ruri + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5071;branch=z9hG4bKm" + b.length + "\r\n"
                + "From: \"Alïce\" <" + from + ">;tag=a1\r\nTo: <" + to + ">\r\nCall-ID: msg-" + DBS.incrementAndGet() + "\r\n"
                + "CSeq: 1 MESSAGE\r\nContact: <sip:alice@127.0.0.1:5071>\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n") + "Content-Length: " + b.length
                + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return context(SipMessages.parse(all, new SipSource("udp", new InetSocketAddress("127.0.0.1", 5071),
                new InetSocketAddress("127.0.0.1", 5060))));
    }

    static TestActionContext text(String body) {
        return message("sip:bob@example.com", "sip:alice@example.com", "sip:bob@example.com", "text/plain;charset=UTF-8",
                body.getBytes(StandardCharsets.UTF_8));
    }

    /** bob's REGISTER from 127.0.0.1:{@code port} with {@code extra} header lines. */
    static TestActionContext register(int port, String extra) {
        String text = "REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:" + port + ";branch=z9hG4bKr" + port
                + "\r\nFrom: <sip:bob@example.com>;tag=r1\r\nTo: <sip:bob@example.com>\r\nCall-ID: reg-" + port + "\r\n"
                + "CSeq: 1 REGISTER\r\nContact: <sip:bob@192.168.1.9:5060>\r\nExpires: 600\r\n" + extra
                + "Content-Length: 0\r\n\r\n";
        return context(SipMessages.parse(text.getBytes(StandardCharsets.UTF_8), new SipSource("udp",
                new InetSocketAddress("127.0.0.1", port), new InetSocketAddress("127.0.0.1", 5060))));
    }

    /**
     * The context a function sees (siphon-test's): the message, $avp values, message flags (0 unless a
     * test sets them) and $rU/$fu/$ci for the templates.
     */
    static TestActionContext context(SipMessage message) {
        return new TestActionContext(message, RouteType.REQUEST).flags(0)
                .pv("$rU", "bob")
                .pv("$fu", m -> m.from().uri().toString())
                .pv("$ci", SipMessage::callId);
    }
}
