package org.siphon.core.internal.proxy;

import java.net.InetSocketAddress;
import java.util.Map;

import org.siphon.core.internal.message.SipMessageWriter;
import org.siphon.core.internal.transport.Transport;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.uri.SipUri;

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

    static void apply(SipRequest req, Transport out, Sockets sockets, Map<SipHeader, String> replace) {
        SipSource src = req.source();
        if (src == null || src.local() == null) {
            return;
        }
        InetSocketAddress in = src.local();
        if (out.proto().equals(src.transport()) && out.local().equals(in)) {
            return;
        }
        SipHeader top = topmost(req);
        if (top == null || top.value().indexOf('<') < 0) {
            return;
        }
        try {
            NameAddress rr = NameAddress.parse(top.value().substring(0, top.value().indexOf('>') + 1));
            if (rr.uri() instanceof SipUri u && sockets.isMyself(u.host(), u.portOrDefault())) {
                replace.put(top, doubled(top.value(), out));
            }
        } catch (IllegalArgumentException e) {
            // not a Record-Route we wrote
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

    /** {@code <outgoing;r2=on;...>, <incoming;r2=on;...>} from the Record-Route value written for the incoming socket (later values kept). */
    static String doubled(String value, Transport out) {
        int lt = value.indexOf('<');
        int gt = value.indexOf('>', lt);
        String uri = value.substring(lt + 1, gt);
        int semi = uri.indexOf(';');
        String params = semi < 0 ? "" : uri.substring(semi);
        String outParams = params.replaceAll("(?i);transport=[^;]*", "");
        String outUri = "sip:" + out.viaHostPort() + (out.proto().equals("udp") ? "" : ";transport=" + out.proto())
                + ";r2=on" + outParams;
        String inUri = (semi < 0 ? uri : uri.substring(0, semi)) + ";r2=on" + params;
        return "<" + outUri + ">, <" + inUri + ">" + value.substring(gt + 1);
    }
}
