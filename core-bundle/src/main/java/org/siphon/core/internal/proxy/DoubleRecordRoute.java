package org.siphon.core.internal.proxy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

import org.siphon.core.internal.message.SipMessageWriter;
import org.siphon.core.internal.transport.Transport;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.Parameters;
import org.siphon.core.sip.header.HeaderText;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.UriParser;

/**
 * Double Record-Route (Kamailio's rr {@code enable_double_rr}): a request record-routed by this
 * server that leaves through another socket than it came in on — UDP to TCP, IPv4 to IPv6, one
 * address to another — carries two Record-Route values, the first naming the outgoing socket
 * (the one the callee's side reaches) and the second the incoming one, both marked {@code r2=on}
 * so that {@code loose_route} removes both. Only for this write: the edit list keeps one.
 * Stateless.
 */
final class DoubleRecordRoute {

    private DoubleRecordRoute() {
    }

    /** {@code proto}: the outgoing transport ({@code ws}/{@code wss} ride on a tcp/tls socket). */
    static void apply(SipRequest req, Transport out, String proto, Sockets sockets, Map<SipHeader, String> replace) {
        SipSource src = req.source();
        if (src == null || src.local() == null) {
            return;
        }
        InetSocketAddress in = src.local();
        if (proto.equals(src.transport()) && out.local().equals(in)) {
            return;
        }
        SipHeader top = topmost(req);
        if (top == null) {
            return;
        }
        try {
            List<String> values = HeaderText.splitCommas(top.value());
            NameAddress rr = NameAddress.parse(values.get(0));
            if (rr.uri() instanceof SipUri u && sockets.isMyself(u.host(), u.portOrDefault())) {
                replace.put(top, doubled(rr, u, values.subList(1, values.size()), out, proto));
            }
        } catch (IllegalArgumentException e) {
            // not a Record-Route we wrote (SipParseException is one)
        }
    }

    /** The topmost Record-Route: still in the edit list, or parsed into a copy of the request (tm's branches). */
    private static SipHeader topmost(SipRequest req) {
        for (SipHeader h : SipMessageWriter.addedFirst(req)) {
            if (h.is(SipHeaderNames.RECORD_ROUTE)) {
                return h;
            }
        }
        return req.header(SipHeaderNames.RECORD_ROUTE);
    }

    /**
     * {@code <outgoing;r2=on;...>, <incoming;r2=on;...>;hparams, later...} from the Record-Route
     * value {@code rr} (URI {@code in}) written for the incoming socket: the outgoing URI is the
     * socket's advertised address with its transport and the same parameters but transport; the
     * incoming one keeps its user and parameters; header parameters stay on the incoming value.
     */
    static String doubled(NameAddress rr, SipUri in, List<String> later, Transport out, String proto) {
        SipUri outAddress = (SipUri) UriParser.parse("sip:" + out.viaHostPort());
        Parameters.Builder outParams = Parameters.builder();
        if (!proto.equals("udp")) {
            outParams.add("transport", proto.equals("wss") ? "ws" : proto); // RFC 7118: ws for WS and WSS
        }
        outParams.add("r2", "on");
        Parameters.Builder inParams = Parameters.builder().add("r2", "on");
        for (Map.Entry<String, String> p : in.params().entries()) {
            if (!p.getKey().equalsIgnoreCase("r2")) {
                inParams.add(p.getKey(), p.getValue());
                if (!p.getKey().equalsIgnoreCase("transport")) {
                    outParams.add(p.getKey(), p.getValue());
                }
            }
        }
        StringBuilder sb = new StringBuilder(160);
        sb.append(new NameAddress(null, outAddress.withParams(outParams.build()), Parameters.NONE)).append(", ")
                .append(rr.withUri(in.withParams(inParams.build())));
        for (String v : later) {
            sb.append(", ").append(v.trim());
        }
        return sb.toString();
    }
}
