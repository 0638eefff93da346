package org.siphon.core.internal.proxy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.siphon.core.internal.message.SipMessageImpl;
import org.siphon.core.internal.transport.Transport;
import org.siphon.core.internal.transport.Transports;
import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.StatefulCore.ReplySender;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way replies leave the server, stateless ones ({@link #reply}) and tm's
 * ({@link #sender}): to the request's source as RFC 3261 §18.2.2 with RFC 3581 says, on the
 * socket the request came in on; not opening a connection when the request asked so
 * ({@code set_forward_no_connect}) or over WebSocket; closing it after the final reply when the
 * script called {@code set_reply_close()}. Thread-safe.
 */
final class ReplyPath {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyPath.class);

    private final Supplier<Sockets> sockets;
    private final Replies replies;
    private final CoreStats stats;

    ReplyPath(Supplier<Sockets> sockets, Replies replies, CoreStats stats) {
        this.sockets = sockets;
        this.replies = replies;
        this.stats = stats;
    }

    Replies replies() {
        return replies;
    }

    /** Builds a reply and sends it; a reply that cannot leave is logged (INFO), never thrown. */
    void reply(SipRequest request, int status, String reason, List<SipHeader> extraHeaders) {
        byte[] bytes = replies.build(request, status, reason, extraHeaders);
        sender(request).send(bytes).whenComplete((v, e) -> {
            if (e != null) {
                LOG.info("cannot answer {} {} with {}: {}", request.method(), request.callId(), status, e.getMessage());
            }
        });
    }

    /** Replies unless the request is an ACK (which is never answered). */
    void replyUnlessAck(SipRequest request, int status, String reason) {
        if (request.method() != null && !request.isMethod(SipMethods.ACK)) {
            reply(request, status, reason, List.of());
        }
    }

    /**
     * Where and how every reply to {@code request} goes, fixed now. The sender keeps the
     * destination and the socket, not the request: a settled transaction holds it for seconds to
     * answer retransmissions, after it let the request go.
     */
    ReplySender sender(SipRequest request) {
        Destination dest = destination(request);
        SipSource source = request.source();
        boolean connect = !(request instanceof SipMessageImpl m && m.replyNoConnect());
        boolean close = request instanceof SipMessageImpl m && m.replyClose();
        return bytes -> {
            Transport t = dest == null ? null : sockets.get().forLocal(source.local(), dest);
            if (t == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("no way back to " + source));
            }
            stats.sentReplies.increment();
            CompletableFuture<Void> sent = t.send(bytes, dest.address(), connect && !Connections.isWebSocket(dest.transport()));
            // set_reply_close(): the connection ends after the final reply ("SIP/2.0 1xx" is provisional)
            if (close && bytes.length > 8 && bytes[8] != '1') {
                Transports.closeConnection(t, dest.address());
            }
            return sent;
        };
    }

    /** RFC 3261 §18.2.2 with RFC 3581: the source address, the source port when rport was asked for. */
    static Destination destination(SipRequest request) {
        if (request.source() == null || request.source().remote() == null) {
            return null;
        }
        InetSocketAddress src = request.source().remote();
        String proto = request.source().transport();
        if (!proto.equals("udp") || request.topVia() == null || request.topVia().hasRport() || Replies.forceRport(request)) {
            return new Destination(proto, src);
        }
        int port = request.topVia().port() > 0 ? request.topVia().port() : 5060;
        return new Destination(proto, new InetSocketAddress(src.getAddress(), port));
    }
}
