package org.siphon.tm.internal;

import java.nio.charset.StandardCharsets;

import org.siphon.core.proxy.Outgoing;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMessages;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;

/**
 * Requests a client transaction builds from the request it sent: the ACK of a negative final
 * reply (RFC 3261 §17.1.1.3) and the CANCEL of a pending INVITE (§9.1). Both carry only the top
 * Via of the original, its Request-URI, From, Call-ID, CSeq number and Route headers. Stateless.
 */
final class Requests {

    private Requests() {
    }

    static Outgoing ack(Outgoing invite, SipResponse response) {
        SipRequest sent = parse(invite);
        StringBuilder sb = start("ACK", sent);
        sb.append("To: ").append(response.headerValue(SipHeaderNames.TO)).append("\r\n");
        return finish(sb, sent, "ACK", invite);
    }

    static Outgoing cancel(Outgoing invite) {
        SipRequest sent = parse(invite);
        StringBuilder sb = start("CANCEL", sent);
        sb.append("To: ").append(sent.headerValue(SipHeaderNames.TO)).append("\r\n");
        return finish(sb, sent, "CANCEL", invite);
    }

    private static SipRequest parse(Outgoing out) {
        return (SipRequest) SipMessages.parse(out.bytes());
    }

    private static StringBuilder start(String method, SipRequest sent) {
        StringBuilder sb = new StringBuilder(400);
        sb.append(method).append(' ').append(sent.requestUri()).append(" SIP/2.0\r\n");
        sb.append("Via: ").append(sent.headers(SipHeaderNames.VIA).get(0).value()).append("\r\n");
        for (SipHeader route : sent.headers(SipHeaderNames.ROUTE)) {
            sb.append("Route: ").append(route.value()).append("\r\n");
        }
        sb.append("From: ").append(sent.headerValue(SipHeaderNames.FROM)).append("\r\n");
        return sb;
    }

    private static Outgoing finish(StringBuilder sb, SipRequest sent, String method, Outgoing original) {
        sb.append("Call-ID: ").append(sent.callId()).append("\r\n");
        sb.append("CSeq: ").append(sent.cseq().number()).append(' ').append(method).append("\r\n");
        sb.append("Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n");
        return new Outgoing(sb.toString().getBytes(StandardCharsets.UTF_8), original.destination(), original.via(),
                original.socket(), original.connect());
    }
}
