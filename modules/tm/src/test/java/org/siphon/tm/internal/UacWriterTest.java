package org.siphon.tm.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.Outgoing;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipMessages;
import org.siphon.core.sip.SipRequest;
import org.siphon.tm.UacRequest;

/** The direct path of TmApi.requestWithin: the bytes written and the routes remembered. */
class UacWriterTest {

    private static List<SipHeader> dialog(String... more) {
        List<SipHeader> h = new ArrayList<>(List.of(SipHeader.of("From", "<sip:alice@example.com>;tag=srv1"),
                SipHeader.of("To", "<sip:bob@example.com>;tag=w1"), SipHeader.of("Call-ID", "c1@example.com"),
                SipHeader.of("CSeq", "7 NOTIFY")));
        for (int i = 0; i < more.length; i += 2) {
            h.add(SipHeader.of(more[i], more[i + 1]));
        }
        return h;
    }

    @Test
    void writesTheRequestAsTheCoreWouldSendIt() {
        byte[] body = "<presence/>".getBytes(StandardCharsets.UTF_8);
        UacRequest r = new UacRequest("NOTIFY", "sip:bob@127.0.0.1:5070", null, null, null,
                dialog("Event", "presence", "Subscription-State", "active;expires=60", "Content-Length", "999"),
                "application/pidf+xml", body);
        assertTrue(UacWriter.eligible(r));
        byte[] bytes = UacWriter.write(r, "SIP/2.0/UDP 127.0.0.1:5060", "z9hG4bKx.0");
        SipMessage m = SipMessages.parse(bytes);
        assertNull(m.error());
        SipRequest req = (SipRequest) m;
        assertEquals("NOTIFY", req.method());
        assertEquals("sip:bob@127.0.0.1:5070", req.requestUri().toString());
        assertEquals("z9hG4bKx.0", req.vias().get(0).branch());
        assertEquals(1, req.vias().size());
        assertEquals(70, req.maxForwards());
        assertEquals("srv1", req.fromTag());
        assertEquals("w1", req.toTag());
        assertEquals("c1@example.com", req.callId());
        assertEquals(7, req.cseq().number());
        assertEquals("active;expires=60", req.headerValue("Subscription-State"));
        assertEquals("application/pidf+xml", req.contentType().essence());
        assertEquals(1, req.headers("Content-Length").size()); // the given one is replaced by the true length
        assertArrayEquals(body, req.body());
        assertEquals("c1@example.com", UacWriter.callId(r));
    }

    @Test
    void aGivenMaxForwardsIsDecrementedAsByTheCoreAndNoBodyMeansNoContentType() {
        UacRequest r = new UacRequest("MESSAGE", "sip:bob@127.0.0.1", null, null, null,
                dialog("Max-Forwards", "10"), "text/plain", null);
        SipRequest req = (SipRequest) SipMessages.parse(UacWriter.write(r, "SIP/2.0/UDP 127.0.0.1:5060", "b"));
        assertEquals(9, req.maxForwards());
        assertNull(req.contentType());
        assertEquals(0, req.body().length);
        assertThrows(IllegalArgumentException.class, () -> UacWriter.write(new UacRequest("MESSAGE", "sip:b@h", null,
                null, null, dialog("Max-Forwards", "ten"), null, null), "SIP/2.0/UDP h", "b"));
    }

    @Test
    void refusesHeaderInjectionAndWhiteSpaceInTheRequestLine() {
        assertThrows(IllegalArgumentException.class, () -> UacWriter.write(new UacRequest("NOTIFY", "sip:b@h", null,
                null, null, dialog("Event", "presence\r\nX-Evil: 1"), null, null), "SIP/2.0/UDP h", "b"));
        assertThrows(IllegalArgumentException.class, () -> UacWriter.write(new UacRequest("NOTIFY", "sip:b@h", null,
                null, null, dialog("Bad Name", "x"), null, null), "SIP/2.0/UDP h", "b"));
        assertThrows(IllegalArgumentException.class, () -> UacWriter.write(new UacRequest("NOTIFY", "sip:b@h SIP/2.0\r\n",
                null, null, null, dialog(), null, null), "SIP/2.0/UDP h", "b"));
        assertThrows(IllegalArgumentException.class, () -> UacWriter.write(new UacRequest("NOTIFY", "sip:b@h", null,
                null, null, dialog(), "text/plain\n", "x".getBytes(StandardCharsets.UTF_8)), "SIP/2.0/UDP h", "b"));
    }

    @Test
    void onlyNonInviteRequestsWithTheirWholeDialogAreWrittenDirectly() {
        assertFalse(UacWriter.eligible(new UacRequest("INVITE", "sip:b@h", null, null, null, dialog(), null, null)));
        assertFalse(UacWriter.eligible(new UacRequest("NOTIFY", "sip:b@h", null, null, null,
                dialog().subList(0, 3), null, null)));
        assertFalse(UacWriter.eligible(UacRequest.of("OPTIONS", "sip:b@h")));
    }

    @Test
    void routesAreLearntFromTheCoresPreparationAndForgottenAfterTheirTime() {
        UacRoutes routes = new UacRoutes();
        Destination udp = new Destination("udp", new InetSocketAddress("127.0.0.1", 5070));
        InetSocketAddress local = new InetSocketAddress("127.0.0.1", 5060);
        routes.learn("sip:bob@127.0.0.1:5070", new Outgoing(new byte[600], udp, "SIP/2.0/UDP 127.0.0.1:5060;branch=b1",
                local, true), "b1", 1000);
        UacRoutes.Route r = routes.get("sip:bob@127.0.0.1:5070", 1000);
        assertEquals("SIP/2.0/UDP 127.0.0.1:5060", r.via());
        assertTrue(r.fits(600));
        assertFalse(r.fits(601)); // perhaps above udp_mtu: the core decides again
        routes.learn("sip:bob@127.0.0.1:5070", new Outgoing(new byte[900], udp, "SIP/2.0/UDP 127.0.0.1:5060;branch=b2",
                local, true), "b2", 1100);
        assertTrue(routes.get("sip:bob@127.0.0.1:5070", 1100).fits(900));
        Outgoing o = routes.get("sip:bob@127.0.0.1:5070", 1100).outgoing(new byte[3], "b3");
        assertEquals("SIP/2.0/UDP 127.0.0.1:5060;branch=b3", o.via());
        assertEquals(udp, o.destination());
        assertNull(routes.get("sip:bob@127.0.0.1:5070", 1100 + UacRoutes.TTL_MILLIS));
        assertNull(routes.get("sip:other@127.0.0.1", 1000));
        // moved to TCP for its size: not remembered, a smaller request would go over UDP
        routes.learn("sip:carol@127.0.0.1:5070", new Outgoing(new byte[2000], new Destination("tcp", udp.address()),
                "SIP/2.0/TCP 127.0.0.1:5060;branch=b4", local, true), "b4", 1000);
        assertNull(routes.get("sip:carol@127.0.0.1:5070", 1000));
        routes.learn("sip:carol@127.0.0.1:5070;transport=tcp", new Outgoing(new byte[2000],
                new Destination("tcp", udp.address()), "SIP/2.0/TCP 127.0.0.1:5060;branch=b5", local, true), "b5", 1000);
        assertTrue(routes.get("sip:carol@127.0.0.1:5070;transport=tcp", 1000).fits(100_000));
    }
}
