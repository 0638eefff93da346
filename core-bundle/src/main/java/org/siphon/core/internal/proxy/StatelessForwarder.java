package org.siphon.core.internal.proxy;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.siphon.core.function.ActionContext;
import org.siphon.core.internal.message.SipMessageWriter;
import org.siphon.core.internal.transport.Transport;
import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.Outgoing;
import org.siphon.core.proxy.UnresolvableException;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.SipStatus;
import org.siphon.core.sip.header.OptionTags;
import org.siphon.core.sip.header.Via;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stateless forwarding of requests (RFC 3261 §16.11) and of responses by their Via (§16.7 step 9
 * without a transaction, §18.2.2). The core's Via, the received/rport fix-up of the previous
 * hop's Via and the Max-Forwards decrement are written for the one sending only, never kept in
 * the message's edit list, so a script may forward the same request twice. Thread-safe.
 */
final class StatelessForwarder {

    private static final Logger LOG = LoggerFactory.getLogger(StatelessForwarder.class);

    private final Supplier<Sockets> sockets;
    private final Resolver resolver;
    private final ReplyPath replies;
    private final CoreStats stats;
    private final int udpMtu;
    private final ViaHandling.ReceivedPolicy received;

    /**
     * @param sockets  the bound sockets (read at each send: they are bound after this is made)
     * @param replies  how the forwarder's error replies (483, 416, 478, 482, 420, 503) leave
     * @param udpMtu   size above which a request goes over TCP when it can ({@code udp_mtu})
     * @param received when the previous hop's Via gets {@code received=}
     */
    StatelessForwarder(Supplier<Sockets> sockets, Resolver resolver, ReplyPath replies, CoreStats stats, int udpMtu,
            ViaHandling.ReceivedPolicy received) {
        this.sockets = sockets;
        this.resolver = resolver;
        this.replies = replies;
        this.stats = stats;
        this.udpMtu = udpMtu;
        this.received = received;
    }

    int forward(ActionContext ctx, Uri target) {
        SipRequest req = (SipRequest) ctx.message();
        if (req.maxForwards() == 0) {
            replies.replyUnlessAck(req, SipStatus.TOO_MANY_HOPS, null);
            return -1;
        }
        if (!proxyRequireSupported(req)) {
            return -1;
        }
        Uri uri = target != null ? target : ctx.destination() != null ? ctx.destination() : req.edits().requestUri();
        if (!(uri instanceof SipUri)) {
            replies.replyUnlessAck(req, SipStatus.UNSUPPORTED_URI_SCHEME, null);
            return -1;
        }
        Destination dest;
        try {
            dest = resolver.destination(uri);
        } catch (UnresolvableException e) {
            LOG.info("forward of {} to {}: {}", req.method(), uri, e.getMessage());
            replies.replyUnlessAck(req, 478, "Unresolvable Destination");
            return -1;
        }
        String loop = ViaHandling.loopHash(req, uri);
        String loopSuffix = "." + loop;
        for (Via v : req.vias()) {
            if (v.branch() != null && v.branch().endsWith(loopSuffix) && sockets.get().isMyself(v.host(), v.port() < 0 ? 5060 : v.port())) {
                replies.replyUnlessAck(req, SipStatus.LOOP_DETECTED, null);
                return -1;
            }
        }
        Outgoing out;
        try {
            out = prepare(ctx, req, dest, ViaHandling.statelessBranch(req, uri, dest.toString(), loop));
        } catch (UnresolvableException e) {
            LOG.warn("forward of {} to {}: {}", req.method(), dest, e.getMessage());
            replies.replyUnlessAck(req, SipStatus.SERVICE_UNAVAILABLE, "No Socket For " + dest.transport().toUpperCase());
            return -1;
        }
        sockets.get().send(out);
        stats.forwardedRequests.increment();
        return 1;
    }

    /** {@link org.siphon.core.proxy.SipCore#prepare}: the target resolved, a branch given. */
    Outgoing prepare(ActionContext ctx, SipRequest req, Uri target, String branch) throws UnresolvableException {
        Uri uri = target != null ? target : ctx.destination() != null ? ctx.destination() : req.edits().requestUri();
        if (!(uri instanceof SipUri)) {
            throw new UnresolvableException("not a SIP URI: " + uri);
        }
        return prepare(ctx, req, resolver.destination(uri), branch);
    }

    private Outgoing prepare(ActionContext ctx, SipRequest req, Destination dest, String branch)
            throws UnresolvableException {
        boolean noConnect = ctx instanceof CoreActionContext c && c.forwardNoConnect();
        boolean forceRport = ctx instanceof CoreActionContext c && c.forceRport();
        Transport t = ctx instanceof CoreActionContext c && c.sendSocket() != null
                ? sockets.get().named(c.sendSocket(), dest.transport()) : null;
        if (t == null) {
            // no forced socket, or one of another protocol: as Kamailio, the closest socket of the protocol
            t = sockets.get().pick(dest.transport(), dest.address());
        }
        if (t == null) {
            throw new UnresolvableException("no " + dest.transport() + " socket for the address family of " + dest);
        }
        boolean doubleRr = Boolean.TRUE.equals(ctx.attribute(ActionContext.DOUBLE_RECORD_ROUTE));
        byte[] bytes = encode(req, t, dest.transport(), branch, received, forceRport, doubleRr);
        if (t.proto().equals("udp") && bytes.length > udpMtu && !req.isMethod(SipMethods.ACK)) {
            Transport tcp = sockets.get().pick("tcp", dest.address());
            if (tcp != null) {
                t = tcp;
                dest = new Destination("tcp", dest.address());
                bytes = encode(req, t, "tcp", branch, received, forceRport, doubleRr);
            }
        }
        return new Outgoing(bytes, dest, via(t, dest.transport(), branch), t.local(), !noConnect);
    }

    /** The Via of a request sent on {@code t} as {@code proto} (WS and WSS ride on TCP and TLS sockets). */
    private static String via(Transport t, String proto, String branch) {
        return "SIP/2.0/" + proto.toUpperCase(java.util.Locale.ROOT) + " " + t.viaHostPort() + ";branch=" + branch;
    }

    /**
     * RFC 3261 §16.3 item 4: a proxy refuses extensions it does not know that the request says
     * proxies must support. Siphon supports none yet: any Proxy-Require option tag gets 420 with
     * Unsupported listing them.
     */
    private boolean proxyRequireSupported(SipRequest req) {
        List<String> tags = new ArrayList<>();
        for (SipHeader h : req.headers(SipHeaderNames.PROXY_REQUIRE)) {
            try {
                tags.addAll(OptionTags.parse(h.value()));
            } catch (IllegalArgumentException e) {
                replies.replyUnlessAck(req, SipStatus.BAD_REQUEST, "Bad Proxy-Require Header");
                return false;
            }
        }
        if (tags.isEmpty() || req.isMethod(SipMethods.ACK) || req.isMethod(SipMethods.CANCEL)) {
            return true;
        }
        replies.reply(req, SipStatus.BAD_EXTENSION, null, List.of(SipHeader.of("Unsupported", String.join(", ", tags))));
        return false;
    }

    private byte[] encode(SipRequest req, Transport t, String proto, String branch, ViaHandling.ReceivedPolicy received,
            boolean forceRport, boolean doubleRr) {
        Map<SipHeader, String> replace = new IdentityHashMap<>(4);
        List<SipHeader> prepend = new ArrayList<>(2);
        prepend.add(SipHeader.of(SipHeaderNames.VIA, via(t, proto, branch)));
        Via fixed = ViaHandling.withReceived(req, received, forceRport);
        if (fixed != null) {
            SipHeader field = ViaHandling.firstViaField(req);
            replace.put(field, ViaHandling.replaceFirst(field, fixed));
        }
        SipHeader mf = req.header(SipHeaderNames.MAX_FORWARDS);
        if (req.edits().changes(SipHeaderNames.MAX_FORWARDS)) {
            // the script already handled it (maxfwd's mf_process_maxfwd_header): leave it as edited
        } else if (mf == null) {
            prepend.add(SipHeader.of(SipHeaderNames.MAX_FORWARDS, "70"));
        } else {
            replace.put(mf, Integer.toString(req.maxForwards() - 1));
        }
        if (doubleRr) {
            DoubleRecordRoute.apply(req, t, proto, sockets.get(), replace);
        }
        return SipMessageWriter.write(req, new SipMessageWriter.Extra(prepend, replace));
    }

    /** Sends a response on to the next Via; drops it (with a log line) when it is not ours to forward. */
    void forwardResponse(SipResponse resp) {
        List<Via> vias = resp.vias();
        Via top = vias.get(0);
        if (!sockets.get().isMyself(top.host(), top.port() < 0 ? 5060 : top.port())) {
            LOG.debug("dropping {} {}: top Via {} is not this server", resp.status(), resp.callId(), top);
            stats.droppedReplies.increment();
            return;
        }
        if (vias.size() < 2) {
            LOG.debug("dropping {} {}: no Via left to forward it to", resp.status(), resp.callId());
            stats.droppedReplies.increment();
            return;
        }
        Via next = vias.get(1);
        String host = next.received() != null ? next.received() : next.hostAddress();
        int port = next.rport() > 0 ? next.rport() : next.port() > 0 ? next.port() : 5060;
        String proto = next.transportLower();
        Destination dest;
        try {
            dest = new Destination(proto, new java.net.InetSocketAddress(resolver.resolve(host), port));
        } catch (UnresolvableException e) {
            LOG.info("dropping {} {}: {}", resp.status(), resp.callId(), e.getMessage());
            stats.droppedReplies.increment();
            return;
        }
        Transport t = sockets.get().pick(proto, dest.address());
        if (t == null) {
            LOG.info("dropping {} {}: no {} socket", resp.status(), resp.callId(), proto);
            stats.droppedReplies.increment();
            return;
        }
        Destination to = dest;
        // a reply never opens a WebSocket connection: it goes on the open one or not at all
        Connections.send(t, relayBytes(resp), dest, !Connections.isWebSocket(proto)).whenComplete((v, e) -> {
            if (e != null) {
                LOG.info("sending {} to {} failed: {}", resp.status(), to, e.toString());
            }
        });
        stats.forwardedReplies.increment();
    }

    /** The response without its top Via (ours), edits applied. */
    static byte[] relayBytes(SipResponse resp) {
        SipHeader field = ViaHandling.firstViaField(resp);
        String rest = ViaHandling.withoutFirst(field);
        if (rest != null) {
            Map<SipHeader, String> replace = new IdentityHashMap<>(4);
            replace.put(field, rest);
            return SipMessageWriter.write(resp, new SipMessageWriter.Extra(List.of(), replace));
        }
        resp.edits().remove(field);
        return SipMessageWriter.write(resp);
    }
}
