package org.siphon.tm.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.siphon.core.proxy.Outgoing;
import org.siphon.core.sip.SipEdits;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.header.CSeq;

/**
 * Requests a client transaction builds from the INVITE it sent: the ACK of a negative final
 * reply (RFC 3261 §17.1.1.3) and the CANCEL of a pending INVITE (§9.1). Both carry only the top
 * Via of the original, its Request-URI, From, Call-ID, CSeq number and Route headers, taken from
 * the message model as it was written ({@link Sent}), not from the bytes. Stateless.
 */
final class Requests {

    private Requests() {
    }

    /**
     * What an ACK or CANCEL repeats of an INVITE, as the INVITE was written on its branch: its
     * edits applied (a changed Request-URI, Route headers removed by {@code loose_route()} or added
     * for a path, a replaced From …). The top Via is the core's, in {@link Outgoing#via()}.
     */
    record Sent(String requestUri, List<String> routes, String from, String to, String callId, long cseq) {

        /** Takes the values from {@code request} and its pending edits (call it when the request is prepared). */
        static Sent of(SipRequest request) {
            SipEdits edits = request.edits();
            List<String> routes = new ArrayList<>();
            // Route fields are few and rarely edited: read them edited from a copy only when they were
            SipRequest written = edits.changes(SipHeaderNames.ROUTE) ? (SipRequest) edits.apply() : request;
            for (SipHeader route : written.headers(SipHeaderNames.ROUTE)) {
                routes.add(route.value());
            }
            long cseq = edits.changes(SipHeaderNames.CSEQ) ? CSeq.parse(edits.valueOf(SipHeaderNames.CSEQ)).number()
                    : request.cseq().number();
            return new Sent(edits.requestUri().toString(), List.copyOf(routes), edits.valueOf(SipHeaderNames.FROM),
                    edits.valueOf(SipHeaderNames.TO), edits.valueOf(SipHeaderNames.CALL_ID), cseq);
        }
    }

    /** The ACK of {@code response}, a negative final reply to the INVITE {@code sent} went out as {@code out}. */
    static Outgoing ack(Sent sent, Outgoing out, SipResponse response) {
        return build("ACK", sent, response.headerValue(SipHeaderNames.TO), out);
    }

    /** The CANCEL of the INVITE {@code sent} that went out as {@code out}. */
    static Outgoing cancel(Sent sent, Outgoing out) {
        return build("CANCEL", sent, sent.to(), out);
    }

    private static Outgoing build(String method, Sent sent, String to, Outgoing out) {
        StringBuilder sb = new StringBuilder(400);
        sb.append(method).append(' ').append(sent.requestUri()).append(" SIP/2.0\r\n");
        sb.append("Via: ").append(out.via()).append("\r\n");
        for (String route : sent.routes()) {
            sb.append("Route: ").append(route).append("\r\n");
        }
        sb.append("From: ").append(sent.from()).append("\r\n");
        sb.append("To: ").append(to).append("\r\n");
        sb.append("Call-ID: ").append(sent.callId()).append("\r\n");
        sb.append("CSeq: ").append(sent.cseq()).append(' ').append(method).append("\r\n");
        sb.append("Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
        return new Outgoing(sb.toString().getBytes(StandardCharsets.UTF_8), out.destination(), out.via(), out.socket(),
                out.connect());
    }
}
