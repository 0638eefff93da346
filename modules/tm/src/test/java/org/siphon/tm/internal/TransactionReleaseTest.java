package org.siphon.tm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.RouteType;
import org.siphon.core.sip.SipSource;
import org.siphon.test.TestMessages;

/**
 * Issue 29: a settled transaction lets go of what it no longer needs, and a finished one leaves the
 * table and the timer — over UDP after its wait, over TCP (Timer J = 0) at once — as tm.stats'
 * {@code current} and {@code freed} show. Virtual time: nothing waits.
 */
class TransactionReleaseTest {

    final ProxyFixture f = new ProxyFixture();

    static final String BYE = "BYE sip:bob@127.0.0.1:5071 SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP 127.0.0.1:5090;branch=z9hG4bKbye1\r\n"
            + "From: <sip:alice@127.0.0.1>;tag=a\r\nTo: <sip:bob@127.0.0.1>;tag=b\r\nCall-ID: call-2\r\n"
            + "CSeq: 2 BYE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    int current() {
        return (Integer) f.tm.stats.rpc(f.tm.table.serverCount(), 0).get("current");
    }

    long freed() {
        return (Long) f.tm.stats.rpc(f.tm.table.serverCount(), 0).get("freed");
    }

    @Test
    void anAnsweredInviteSettlesThenLeavesAfterTimerL() {
        Transaction t = f.relay(f.request(ProxyFixture.INVITE));
        f.reply(t, 0, 180, "b");
        f.reply(t, 0, 200, "b");
        assertEquals(java.util.List.of("SIP/2.0 100 Trying", "SIP/2.0 180 R180", "SIP/2.0 200 R200"), f.replies);
        assertNull(t.request, "settled without an onreply_route: the request is let go");
        assertNull(t.routed);
        assertNull(t.branches.get(0).reply);
        assertEquals(1, current());
        f.clock.advance(5000); // Timer L and M: wt_timer
        assertEquals(0, current());
        assertEquals(1, freed());
        assertEquals(0, f.tm.table.clientCount());
        assertEquals(0, f.clock.pending(), "no timer still holds it");
    }

    @Test
    void anOnreplyRouteKeepsTheRequestForALate2xx() {
        ProxyFixture.Context ctx = f.request(ProxyFixture.INVITE);
        ctx.attribute(Transaction.ON_REPLY, "onreply_route[r]");
        Transaction t = f.relay(ctx);
        f.reply(t, 0, 200, "b");
        assertNotNull(t.request);
        f.reply(t, 0, 200, "b"); // a retransmitted 2xx still runs the route
        assertEquals(2, f.runs(RouteType.ONREPLY).size());
        f.clock.advance(5000);
        assertEquals(0, current());
    }

    @Test
    void aByeOverTcpLeavesAtItsFinalReply() {
        ProxyFixture.Context ctx = new ProxyFixture.Context(TestMessages.parse(BYE, new SipSource("tcp",
                new InetSocketAddress("127.0.0.1", 5090), new InetSocketAddress("127.0.0.1", 5060))), RouteType.REQUEST);
        ctx.handle = f.handle;
        Transaction t = f.relay(ctx);
        assertEquals(1, current());
        f.reply(t, 0, 200, "b");
        assertEquals(0, current(), "Timer J is 0 over TCP: the server transaction ends with the reply");
        assertEquals(1, freed());
        f.clock.advance(5000); // the branch's Timer K (UDP towards the callee)
        assertEquals(0, f.tm.table.clientCount());
        assertEquals(0, f.clock.pending());
    }
}
