package org.siphon.tm.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.Outgoing;
import org.siphon.core.sip.SipMessages;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;

/** What the transactions under test put on the wire, and the events they report. */
final class Wire implements ClientTransaction.Listener, ServerTransaction.Listener {

    final List<String> sent = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    boolean failSends;

    CompletableFuture<Void> send(Outgoing out) {
        sent.add(firstLine(out.bytes()));
        return failSends ? CompletableFuture.failedFuture(new java.io.IOException("connection refused"))
                : CompletableFuture.completedFuture(null);
    }

    void reply(byte[] bytes) {
        sent.add(firstLine(bytes));
    }

    static String firstLine(byte[] bytes) {
        String s = new String(bytes, StandardCharsets.UTF_8);
        return s.substring(0, s.indexOf('\r'));
    }

    static Outgoing request(String method, String transport) {
        String text = method + " sip:bob@127.0.0.1:5070 SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport.toUpperCase() + " 127.0.0.1:5060;branch=z9hG4bKtest.0\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=a\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: c1\r\n"
                + "CSeq: 1 " + method + "\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        return new Outgoing(text.getBytes(StandardCharsets.UTF_8),
                new Destination(transport, new InetSocketAddress("127.0.0.1", 5070)),
                "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKtest.0", new InetSocketAddress("127.0.0.1", 5060), true);
    }

    /** The request {@code out} carries, parsed (the model a test builds its ACK or CANCEL from). */
    static SipRequest parsed(Outgoing out) {
        return (SipRequest) SipMessages.parse(out.bytes());
    }

    static SipResponse response(int status, String method) {
        String text = "SIP/2.0 " + status + " X\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKtest.0\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=a\r\nTo: <sip:bob@127.0.0.1>;tag=b\r\nCall-ID: c1\r\n"
                + "CSeq: 1 " + method + "\r\nContent-Length: 0\r\n\r\n";
        return (SipResponse) SipMessages.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] replyBytes(int status) {
        return ("SIP/2.0 " + status + " X\r\n\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void response(ClientTransaction ct, SipResponse response) {
        events.add("response " + response.status());
    }

    @Override
    public void timeout(ClientTransaction ct) {
        events.add("timeout");
    }

    @Override
    public void transportError(ClientTransaction ct, Throwable error) {
        events.add("transport error");
    }

    @Override
    public void terminated(ClientTransaction ct) {
        events.add("terminated");
    }

    @Override
    public void terminated(ServerTransaction st) {
        events.add("terminated");
    }
}
