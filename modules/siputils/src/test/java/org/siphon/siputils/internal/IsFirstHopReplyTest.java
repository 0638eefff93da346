package org.siphon.siputils.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.sip.SipSource;
import org.siphon.test.StubSipCore;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestMessages;

/**
 * is_first_hop() on replies, as Kamailio's siputils answers it: 1 when the topmost Record-Route
 * is this server's (the reply comes from the next hop of a dialog we record-routed, e.g. the callee
 * the default script's NATMANAGE aliases) and the reply did not come from one of our own sockets;
 * else -1, malformed headers included.
 */
class IsFirstHopReplyTest {

    /** This server: UDP 10.0.0.1:5060 and TLS 10.0.0.1:5061. */
    private final SiputilsComponent utils = withCore(new StubSipCore("10.0.0.1:5060", "10.0.0.1:5061"));

    private static SiputilsComponent withCore(SipCore core) {
        SiputilsComponent c = new SiputilsComponent((req, status, reason) -> { });
        try {
            // the component's SipCore is a Declarative Services field reference: set as SCR does
            java.lang.reflect.Field f = SiputilsComponent.class.getDeclaredField("core");
            f.setAccessible(true);
            f.set(c, core);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        return c;
    }

    /** A 200 to an INVITE with {@code recordRoute} lines (each ending in CRLF), received over UDP from {@code from}. */
    private static TestActionContext reply(String recordRoute, String fromHost, int fromPort) {
        String text = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKp1\r\n"
                + "Via: SIP/2.0/UDP 192.0.2.9:5062;branch=z9hG4bKc1\r\n" + recordRoute
                + "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>;tag=2\r\nCall-ID: fh-1\r\n"
                + "CSeq: 1 INVITE\r\nContact: <sip:b@192.168.1.20:5070>\r\nContent-Length: 0\r\n\r\n";
        SipSource source = new SipSource("udp", new InetSocketAddress(fromHost, fromPort), new InetSocketAddress("10.0.0.1", 5060));
        return new TestActionContext(TestMessages.parse(text, source), RouteType.ONREPLY);
    }

    private int isFirstHop(TestActionContext ctx) throws Exception {
        FunctionExport f = utils.functions().stream().filter(e -> e.name().equals("is_first_hop")).findFirst().orElseThrow();
        return f.handler().call(ctx, f.fixup().apply(List.of()));
    }

    @Test
    void ourRecordRouteOnTopFromTheCallee() throws Exception {
        assertEquals(1, isFirstHop(reply("Record-Route: <sip:10.0.0.1:5060;lr>\r\n", "203.0.113.7", 5070)));
    }

    @Test
    void theDoubleRecordRouteOfATransportChange() throws Exception {
        assertEquals(1, isFirstHop(reply("Record-Route: <sip:10.0.0.1:5061;transport=tls;r2=on;lr>, "
                + "<sip:10.0.0.1:5060;r2=on;lr>\r\n", "203.0.113.7", 5070)), "our TLS side on top, one header line");
        assertEquals(1, isFirstHop(reply("Record-Route: <sip:10.0.0.1:5060;r2=on;lr;nat=yes>\r\n"
                + "Record-Route: <sip:10.0.0.1:5061;transport=tls;r2=on;lr;nat=yes>\r\n", "203.0.113.7", 5070)), "two lines");
    }

    @Test
    void anotherProxysRecordRouteOnTop() throws Exception {
        assertEquals(-1, isFirstHop(reply("Record-Route: <sip:proxy2.example.net;lr>, <sip:10.0.0.1:5060;lr>\r\n",
                "203.0.113.7", 5070)), "a proxy after us record-routed: the reply is not from the first hop");
        assertEquals(-1, isFirstHop(reply("Record-Route: <sip:10.0.0.1:5080;lr>\r\n", "203.0.113.7", 5070)),
                "our address on a port we do not listen on");
    }

    @Test
    void noRecordRoute() throws Exception {
        assertEquals(-1, isFirstHop(reply("", "203.0.113.7", 5070)));
    }

    @Test
    void aReplyFromOneOfOurOwnSockets() throws Exception {
        assertEquals(-1, isFirstHop(reply("Record-Route: <sip:10.0.0.1:5060;lr>\r\n", "10.0.0.1", 5061)),
                "a spiral through ourselves is not a first hop");
    }

    @Test
    void malformedRecordRoute() throws Exception {
        for (String bad : List.of("Record-Route: <sip:10.0.0.1:5060;lr\r\n", "Record-Route: ,,,\r\n",
                "Record-Route: <tel:+4930123>\r\n", "Record-Route: <sip:@:>\r\n")) {
            assertEquals(-1, isFirstHop(reply(bad, "203.0.113.7", 5070)), bad);
        }
    }
}
