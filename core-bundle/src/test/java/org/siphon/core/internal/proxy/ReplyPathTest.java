package org.siphon.core.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.siphon.core.internal.transport.ListenSpec;
import org.siphon.core.internal.transport.Transport;
import org.siphon.core.proxy.StatefulCore.ReplySender;
import org.siphon.core.sip.SipRequest;

/**
 * Issue 29: the reply sender a settled transaction keeps (to answer retransmissions for seconds
 * after it let its request go) must not keep the request alive: it did, through the lambda's
 * capture of the request for {@code set_reply_close}, so every settled transaction held its whole
 * request (bytes, headers, edits) until it ended.
 */
class ReplyPathTest {

    @Test
    void aReplySenderDoesNotKeepTheRequestAlive() {
        ReplyPath path = new ReplyPath(() -> null, null, new CoreStats());
        SipRequest request = CoreProxyPartsTest.request("SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK1", "127.0.0.1", 5090);
        WeakReference<SipRequest> ref = new WeakReference<>(request);
        ReplySender sender = path.sender(request);
        request = null;
        // bounded: a full collection clears a weak reference to an unreachable object at once
        for (int i = 0; i < 20 && ref.get() != null; i++) {
            System.gc();
        }
        assertNull(ref.get(), "the sender still holds the request");
        assertEquals(ReplySender.class, sender.getClass().getInterfaces()[0]); // the sender itself is still held
    }

    @Test
    void theSenderStillAnswersWhereTheRequestCameFrom() throws Exception {
        List<String> sent = new ArrayList<>();
        Transport t = new Transport() {
            @Override public CompletableFuture<Void> send(byte[] bytes, InetSocketAddress to) {
                sent.add(to.getPort() + " " + new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
                return CompletableFuture.completedFuture(null);
            }
            @Override public String proto() { return "udp"; }
            @Override public InetSocketAddress local() { return new InetSocketAddress("127.0.0.1", 5060); }
            @Override public ListenSpec spec() { return ListenSpec.parse("udp:127.0.0.1:5060").get(0); }
            @Override public void close() { }
        };
        Sockets sockets = new Sockets(List.of(t), List.of());
        ReplyPath path = new ReplyPath(() -> sockets, null, new CoreStats());
        SipRequest request = CoreProxyPartsTest.request("SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bK1;rport", "127.0.0.1", 5091);
        path.sender(request).send("SIP/2.0 200 OK\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)).get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(List.of("5091 SIP/2.0 200 OK\r\n\r\n"), sent);
    }
}
