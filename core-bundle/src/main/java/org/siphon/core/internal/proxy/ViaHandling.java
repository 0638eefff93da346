package org.siphon.core.internal.proxy;

import java.util.ArrayList;
import java.util.List;

import org.siphon.core.sip.header.HeaderText;
import org.siphon.core.sip.Parameters;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.header.Via;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;

/** Via rules of RFC 3261 §16.11, §18.2.1 and RFC 3581, on parsed messages. Stateless. */
final class ViaHandling {

    private ViaHandling() {
    }

    /** How to decide that a sent-by name stands for the source address: Kamailio's {@code dns} and {@code rev_dns}. */
    record ReceivedPolicy(Resolver resolver, boolean dns, boolean revDns) {

        /** Whether {@code host} (a Via sent-by) stands for {@code ip} (the source address). */
        boolean same(String host, java.net.InetAddress ip) {
            String h = Sockets.normal(host);
            if (h.equals(Sockets.normal(ip.getHostAddress()))) {
                return true;
            }
            if (Resolver.isLiteral(h)) {
                return false;
            }
            try {
                if (dns && resolver.resolve(h).equals(ip)) {
                    return true;
                }
            } catch (org.siphon.core.proxy.UnresolvableException e) {
                // not the same
            }
            return revDns && resolver.reverse(ip).equalsIgnoreCase(h);
        }
    }

    /**
     * The top Via with {@code received} (when the sent-by host is not the source address) and
     * {@code rport} (when the client asked for it) filled in; null when nothing changes.
     */
    static Via withReceived(SipMessage request, ReceivedPolicy policy) {
        return withReceived(request, policy, false);
    }

    /** As above; {@code forceRport} acts as if the client had put an empty {@code rport} (force_rport()). */
    static Via withReceived(SipMessage request, ReceivedPolicy policy, boolean forceRport) {
        Via top = request.topVia();
        SipSource src = request.source();
        if (top == null || src == null || src.remote() == null) {
            return null;
        }
        String ip = src.remote().getAddress().getHostAddress();
        Parameters p = top.params();
        boolean changed = false;
        if ((top.hasRport() || forceRport) && top.rport() < 0) {
            p = p.with("rport", Integer.toString(src.remote().getPort()));
            changed = true;
        }
        if (changed || !policy.same(top.host(), src.remote().getAddress())) {
            p = p.with("received", ip);
            changed = true;
        }
        return changed ? top.withParams(p) : null;
    }

    /** The new value of the first Via header field with its first element replaced. */
    static String replaceFirst(SipHeader field, Via first) {
        List<String> parts = new ArrayList<>(HeaderText.splitCommas(field.value()));
        parts.set(0, first.toString());
        return String.join(", ", parts);
    }

    /** The first Via field's value without its first element, or null when it had only one. */
    static String withoutFirst(SipHeader field) {
        List<String> parts = HeaderText.splitCommas(field.value());
        return parts.size() < 2 ? null : String.join(", ", parts.subList(1, parts.size()));
    }

    static SipHeader firstViaField(SipMessage m) {
        return m.header(SipHeaderNames.VIA);
    }

    /**
     * A branch for a stateless forward (RFC 3261 §16.11, §16.6 step 8): a transaction part, the same
     * for a retransmission and for the CANCEL of a request (both carry the same top Via branch)
     * and different per target; then, after a dot, a loop part made only of what does not change
     * from hop to hop ({@code loop}, from {@link #loopHash}, which the caller has already computed
     * to look for a loop), so that the request coming back finds it (§16.3 item 4).
     */
    static String statelessBranch(SipRequest request, Uri target, String destination, String loop) {
        Via top = request.topVia();
        String key;
        if (top.isRfc3261Branch()) {
            key = top.branch();
        } else {
            key = request.requestUri() + "|" + request.toTag() + "|" + request.fromTag()
                    + "|" + request.callId() + "|" + request.cseq().number() + "|" + top;
        }
        return Via.MAGIC_COOKIE + "sl" + Hashes.hex(16, key, String.valueOf(target), destination) + "." + loop;
    }

    /** The loop-detection part of a branch: target, tags, Call-ID and CSeq number. */
    static String loopHash(SipRequest request, Uri target) {
        return Hashes.hex(12, String.valueOf(target), request.fromTag(), request.toTag(),
                request.callId(), Long.toString(request.cseq().number()));
    }
}
