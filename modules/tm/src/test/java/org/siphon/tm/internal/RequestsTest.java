package org.siphon.tm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.Outgoing;
import org.siphon.core.sip.SipMessages;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.uri.UriParser;

/** ACK and CANCEL repeat the INVITE as it was written on its branch: with the script's edits, the core's Via. */
class RequestsTest {

    static final String INVITE = "INVITE sip:bob@example.com SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKcaller\r\n"
            + "Route: <sip:127.0.0.1:5060;lr>\r\n"
            + "Route: <sip:edge.example.net;lr>\r\n"
            + "f: \"Alice\" <sip:alice@example.com>;tag=a1\r\n"
            + "t: <sip:bob@example.com>\r\n"
            + "i: call-42@192.0.2.1\r\n"
            + "CSeq: 17 INVITE\r\nMax-Forwards: 70\r\nContact: <sip:alice@192.0.2.1>\r\n"
            + "Content-Type: application/sdp\r\nContent-Length: 4\r\n\r\nv=0\n";

    static final Outgoing OUT = new Outgoing("(the bytes are not read)".getBytes(StandardCharsets.UTF_8),
            new Destination("udp", new InetSocketAddress("192.0.2.9", 5060)),
            "SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKproxy.0", new InetSocketAddress("127.0.0.1", 5060), true);

    static SipRequest invite() {
        return (SipRequest) SipMessages.parse(INVITE.getBytes(StandardCharsets.UTF_8));
    }

    static String text(Outgoing o) {
        return new String(o.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void cancelRepeatsTheEditedInviteWithTheCoresVia() {
        SipRequest invite = invite();
        invite.edits().setRequestUri(UriParser.parse("sip:bob@192.0.2.9:5060"));
        invite.edits().remove(invite.headers("Route").get(0)); // loose_route() took our own Route
        invite.edits().replace(invite.header("From"), "<sip:anonymous@anonymous.invalid>;tag=a1");
        Requests.Sent sent = Requests.Sent.of(invite);
        assertEquals(new Requests.Sent("sip:bob@192.0.2.9:5060", List.of("<sip:edge.example.net;lr>"),
                "<sip:anonymous@anonymous.invalid>;tag=a1", "<sip:bob@example.com>", "call-42@192.0.2.1", 17), sent);

        Outgoing cancel = Requests.cancel(sent, OUT);
        assertEquals("CANCEL sip:bob@192.0.2.9:5060 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKproxy.0\r\n"
                + "Route: <sip:edge.example.net;lr>\r\n"
                + "From: <sip:anonymous@anonymous.invalid>;tag=a1\r\n"
                + "To: <sip:bob@example.com>\r\n"
                + "Call-ID: call-42@192.0.2.1\r\n"
                + "CSeq: 17 CANCEL\r\n"
                + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n", text(cancel));
        assertEquals(OUT.destination(), cancel.destination());
        assertEquals(OUT.socket(), cancel.socket());
        assertEquals(OUT.via(), cancel.via());
        SipRequest parsed = (SipRequest) SipMessages.parse(cancel.bytes());
        assertEquals("CANCEL", parsed.method());
        assertEquals(null, parsed.error());
    }

    @Test
    void ackTakesTheToOfTheNegativeReplyAndKeepsUneditedHeadersAsWritten() {
        Requests.Sent sent = Requests.Sent.of(invite());
        assertEquals(List.of("<sip:127.0.0.1:5060;lr>", "<sip:edge.example.net;lr>"), sent.routes());
        SipResponse busy = (SipResponse) SipMessages.parse(("SIP/2.0 486 Busy Here\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKproxy.0\r\n"
                + "From: \"Alice\" <sip:alice@example.com>;tag=a1\r\nTo: <sip:bob@example.com>;tag=b7\r\n"
                + "Call-ID: call-42@192.0.2.1\r\nCSeq: 17 INVITE\r\nContent-Length: 0\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals("ACK sip:bob@example.com SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKproxy.0\r\n"
                + "Route: <sip:127.0.0.1:5060;lr>\r\n"
                + "Route: <sip:edge.example.net;lr>\r\n"
                + "From: \"Alice\" <sip:alice@example.com>;tag=a1\r\n"
                + "To: <sip:bob@example.com>;tag=b7\r\n"
                + "Call-ID: call-42@192.0.2.1\r\n"
                + "CSeq: 17 ACK\r\n"
                + "Max-Forwards: 70\r\nContent-Length: 0\r\n\r\n", text(Requests.ack(sent, OUT, busy)));
    }

    @Test
    void aRouteAddedForAPathComesFirst() {
        SipRequest invite = invite();
        invite.edits().insertFirst("Route", "<sip:pcscf.example.org;lr>");
        assertEquals(List.of("<sip:pcscf.example.org;lr>", "<sip:127.0.0.1:5060;lr>", "<sip:edge.example.net;lr>"),
                Requests.Sent.of(invite).routes());
    }
}
