package org.siphon.rr.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.SipMessage;
import org.siphon.test.StubSipCore;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestMessages;

class RrComponentTest {

    private static RrComponent rr(int fullLr, int fromtag) {
        RrComponent c = new RrComponent(new StubSipCore() {
            @Override public void reply(SipRequest request, int status, String reason, List<SipHeader> extra) { }
            @Override public boolean isMyself(String host, int port) { return host.equals("10.0.0.1") && port == 5060; }
        });
        c.activate(config(fullLr, fromtag, 1));
        return c;
    }

    private static RrComponent.Config config(int fullLr, int fromtag, int doubleRr) {
        return new RrComponent.Config() {
            @Override public Class<? extends Annotation> annotationType() { return RrComponent.Config.class; }
            @Override public int enable__full__lr() { return fullLr; }
            @Override public int append__fromtag() { return fromtag; }
            @Override public int enable__double__rr() { return doubleRr; }
        };
    }

    private static TestActionContext ctx(String ruri, String routes, String transport) {
        String text = "BYE " + ruri + " SIP/2.0\r\nVia: SIP/2.0/UDP ua;branch=z9hG4bK1\r\nFrom: <sip:a@x>;tag=caller\r\n"
                + "To: <sip:b@y>;tag=callee\r\nCall-ID: c\r\nCSeq: 2 BYE\r\n" + routes + "Content-Length: 0\r\n\r\n";
        SipMessage m = TestMessages.parse(text, new SipSource(transport, new InetSocketAddress("192.0.2.9", 5070), new InetSocketAddress("10.0.0.1", 5060)));
        return new TestActionContext(m, RouteType.REQUEST);
    }

    private static int call(RrComponent rr, String name, TestActionContext ctx, String... args) throws Exception {
        FunctionExport f = rr.functions().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
        return f.handler().call(ctx, f.fixup().apply(List.of(args)));
    }

    private static String written(TestActionContext ctx) {
        return new String(TestMessages.bytes(ctx.message()), StandardCharsets.UTF_8);
    }

    @Test
    void recordRouteNamesTheIncomingSocketWithParams() throws Exception {
        RrComponent rr = rr(0, 1);
        TestActionContext udp = ctx("sip:b@y", "", "udp");
        assertEquals(1, call(rr, "record_route", udp));
        assertEquals(1, call(rr, "add_rr_param", udp, "nat=yes"));
        assertTrue(written(udp).contains("\r\nRecord-Route: <sip:10.0.0.1:5060;lr;ftag=caller;nat=yes>\r\n"), written(udp));
        TestActionContext tcp = ctx("sip:b@y", "", "tcp");
        call(rr(1, 0), "record_route", tcp, "x=1");
        assertTrue(written(tcp).contains("Record-Route: <sip:10.0.0.1:5060;transport=tcp;lr=on;x=1>"), written(tcp));
        TestActionContext preset = ctx("sip:b@y", "", "udp");
        call(rr, "record_route_preset", preset, "proxy.example.com:5060");
        assertTrue(written(preset).contains("Record-Route: <sip:proxy.example.com:5060;lr>"), written(preset));
    }

    @Test
    void addRrParamAppendsToTheUriOfTheAddedRecordRouteOnly() throws Exception {
        RrComponent rr = rr(0, 1);
        TestActionContext ctx = ctx("sip:b@y", "", "udp");
        assertEquals(-1, call(rr, "add_rr_param", ctx, "a=1"), "no Record-Route added yet");
        call(rr, "record_route_preset", ctx, "sip:proxy.example.com:5060;transport=tcp");
        assertEquals(1, call(rr, "add_rr_param", ctx, ";a=1;b"));
        assertEquals(1, call(rr, "add_rr_param", ctx, "c=%41"));
        String w = written(ctx);
        assertTrue(w.contains("\r\nRecord-Route: <sip:proxy.example.com:5060;transport=tcp;lr;a=1;b;c=%41>\r\n"), w);
        assertEquals(-1, call(rr, "add_rr_param", ctx, "x=<y>"), "not a URI parameter list");
        assertEquals(w, written(ctx), "a refused parameter changes nothing");
    }

    @Test
    void looseRoutePopsOurRouteAndTargetsTheNextHop() throws Exception {
        RrComponent rr = rr(0, 1);
        TestActionContext c = ctx("sip:b@192.0.2.20", "Route: <sip:10.0.0.1:5060;lr;ftag=caller>, <sip:p2.example.com;lr>\r\n", "udp");
        assertEquals(1, call(rr, "loose_route", c));
        assertEquals("sip:p2.example.com;lr", c.destination().toString());
        String out = written(c);
        assertTrue(out.contains("\r\nRoute: <sip:p2.example.com;lr>\r\n") && !out.contains("10.0.0.1"), out);
        assertEquals(1, call(rr, "is_direction", c, "downstream"));
        assertEquals(-1, call(rr, "is_direction", c, "upstream"));
        assertEquals(1, call(rr, "check_route_param", c, "ftag=caller"));
        assertEquals(-1, call(rr, "check_route_param", c, "nat=yes"));
    }

    @Test
    void looseRouteRemovesBothValuesOfADoubleRecordRoute() throws Exception {
        TestActionContext c = ctx("sip:b@192.0.2.20", "Route: <sip:10.0.0.1:5060;transport=tcp;r2=on;lr>, "
                + "<sip:10.0.0.1:5060;r2=on;lr>, <sip:p2.example.com;lr>\r\n", "tcp");
        assertEquals(1, call(rr(0, 0), "loose_route", c));
        assertEquals("sip:p2.example.com;lr", c.destination().toString());
        String out = written(c);
        assertTrue(out.contains("\r\nRoute: <sip:p2.example.com;lr>\r\n") && !out.contains("10.0.0.1"), out);
        TestActionContext spiral = ctx("sip:b@192.0.2.20", "Route: <sip:10.0.0.1:5060;lr>, <sip:10.0.0.1:5060;lr>\r\n", "udp");
        assertEquals(1, call(rr(0, 0), "loose_route", spiral));
        assertEquals("sip:10.0.0.1:5060;lr", spiral.destination().toString(), "without r2 the second value is another hop");
    }

    @Test
    void recordRouteAsksTheCoreForADoubleRecordRoute() throws Exception {
        TestActionContext c = ctx("sip:b@192.0.2.20", "", "udp");
        assertEquals(1, call(rr(0, 0), "record_route", c));
        assertEquals(Boolean.TRUE, c.attribute(ActionContext.DOUBLE_RECORD_ROUTE));
        assertTrue(written(c).contains("\r\nRecord-Route: <sip:10.0.0.1:5060;lr>\r\n"), written(c));
    }

    @Test
    void lastRouteOfOursLeavesTheRequestUriAsTarget() throws Exception {
        TestActionContext c = ctx("sip:b@192.0.2.20", "Route: <sip:10.0.0.1:5060;lr>\r\n", "udp");
        assertEquals(1, call(rr(0, 0), "loose_route", c));
        assertNull(c.destination());
        assertTrue(!written(c).contains("Route:"), written(c));
    }

    @Test
    void strictRoutersAreHandled() throws Exception {
        TestActionContext fromStrict = ctx("sip:10.0.0.1:5060;lr", "Route: <sip:p2.example.com;lr>, <sip:b@192.0.2.20>\r\n", "udp");
        assertEquals(1, call(rr(0, 0), "loose_route", fromStrict));
        assertEquals("sip:b@192.0.2.20", fromStrict.message().edits().requestUri().toString());
        assertTrue(written(fromStrict).contains("Route: <sip:p2.example.com;lr>\r\n"), written(fromStrict));
        TestActionContext toStrict = ctx("sip:b@192.0.2.20", "Route: <sip:10.0.0.1:5060;lr>, <sip:strict.example.com>\r\n", "udp");
        assertEquals(1, call(rr(0, 0), "loose_route", toStrict));
        assertEquals("sip:strict.example.com", toStrict.message().edits().requestUri().toString());
        assertTrue(!written(toStrict).contains("Route:"), written(toStrict));
    }

    @Test
    void noRouteIsFalseAndBadDirectionsAreRefused() throws Exception {
        assertEquals(-1, call(rr(0, 0), "loose_route", ctx("sip:b@y", "", "udp")));
        assertEquals(-1, call(rr(0, 0), "is_direction", ctx("sip:b@y", "", "udp"), "downstream"));
        FunctionExport dir = rr(0, 0).functions().stream().filter(e -> e.name().equals("is_direction")).findFirst().orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> dir.fixup().apply(List.of("sideways")));
    }

    /** cfg.reload: the next Record-Route follows the new parameters; a dialog routed before still loose-routes. */
    @Test
    void changedParametersApplyToTheNextRecordRoute() throws Exception {
        RrComponent rr = rr(0, 1);
        TestActionContext before = ctx("sip:b@192.0.2.20", "", "udp");
        assertEquals(1, call(rr, "record_route", before));
        assertTrue(written(before).contains("\r\nRecord-Route: <sip:10.0.0.1:5060;lr;ftag=caller>\r\n"), written(before));
        assertEquals(Boolean.TRUE, before.attribute(ActionContext.DOUBLE_RECORD_ROUTE));

        rr.modified(config(1, 0, 0));
        TestActionContext after = ctx("sip:b@192.0.2.20", "", "udp");
        assertEquals(1, call(rr, "record_route", after));
        assertTrue(written(after).contains("\r\nRecord-Route: <sip:10.0.0.1:5060;lr=on>\r\n"), written(after));
        assertNull(after.attribute(ActionContext.DOUBLE_RECORD_ROUTE), "enable_double_rr=0");
        TestActionContext preset = ctx("sip:b@y", "", "udp");
        call(rr, "record_route_preset", preset, "proxy.example.com:5060");
        assertTrue(written(preset).contains("Record-Route: <sip:proxy.example.com:5060;lr=on>"), written(preset));

        TestActionContext inDialog = ctx("sip:b@192.0.2.20", "Route: <sip:10.0.0.1:5060;lr;ftag=caller>\r\n", "udp");
        assertEquals(1, call(rr, "loose_route", inDialog), "the Route recorded before the change is still ours");
        assertEquals(1, call(rr, "is_direction", inDialog, "downstream"), "and its ftag still tells the direction");
        assertEquals(java.util.Set.of(), rr.restartParameters());
    }
}
