package org.siphon.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.RouteType;
import org.siphon.core.function.ScriptHandle;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.uri.UriParser;

class TestActionContextTest {

    static TestActionContext invite() {
        return TestActionContext.request(TestMessages.request("INVITE", "sip:bob@example.com", ""));
    }

    @Test
    void branchFlagsAreKeptAsTheScriptFunctionsKeepThem() {
        TestActionContext c = invite();
        assertEquals(-1, c.isbflagset(3));
        assertEquals(1, c.setbflag(3));
        assertEquals(1, c.setbflag(63));
        assertEquals(1, c.isbflagset(3));
        assertEquals((1L << 3) | (1L << 63), c.branchFlags(), "what a module reads as $bf");
        assertEquals(1, c.resetbflag(3));
        assertEquals(-1, c.isbflagset(3));
        c.setBranchFlags(5);
        assertEquals(1, c.isbflagset(0));
        assertEquals(1, c.isbflagset(2));
        assertEquals(-1, c.isbflagset(1));
        assertThrows(IllegalArgumentException.class, () -> c.setbflag(64));
        assertThrows(IllegalArgumentException.class, () -> c.isbflagset(-1));
    }

    @Test
    void noScriptUntilATestGivesOne() {
        assertNull(invite().scriptHandle());
        assertTrue(invite().flags(2).scriptHandle() != null);
    }

    @Test
    void aRouteRunsWhatTheTestGaveItAndIsRecorded() throws Exception {
        TestActionContext c = invite().onRoute("failure_route[vm]", r -> {
            r.setDestination(UriParser.parse("sip:vm@127.0.0.1:5090"));
            r.setbflag(1);
            r.avp("seen", "yes");
        });
        c.setbflag(7);
        c.avp("a", "1");
        c.attribute("tm.x", "kept");
        ScriptHandle h = c.scriptHandle();
        assertTrue(h.hasRoute("failure_route[vm]"));
        assertFalse(h.hasRoute("failure_route[other]"));
        SipMessage m = TestMessages.parse(TestMessages.request("INVITE", "sip:carol@example.com", ""));
        ActionContext r = h.run("failure_route[vm]", RouteType.FAILURE, m, Map.of("k", "v"));
        assertEquals("sip:vm@127.0.0.1:5090", r.destination().toString());
        assertSame(m, r.message());
        assertEquals(RouteType.FAILURE, r.routeType());
        assertEquals((1L << 7) | 2L, r.branchFlags(), "started with the branch flags of the run, set flag 1");
        assertEquals("v", r.attribute("k"));
        assertEquals("kept", r.attribute("tm.x"));
        assertEquals("1", r.avp("a"));
        assertNull(c.avp("seen"), "the route's $avp writes stay with its run");
        assertNull(c.destination());
        assertEquals(1, c.routeCalls().size());
        TestActionContext.RouteCall call = c.routeCalls().get(0);
        assertEquals("failure_route[vm]", call.block());
        assertEquals(RouteType.FAILURE, call.type());
        assertEquals(Map.of("k", "v"), call.attributes());
        assertEquals(1L << 7, call.branchFlags());
        assertSame(r, call.context());
    }

    @Test
    void aRouteCanStartWithOtherBranchFlagsAndDrop() throws Exception {
        TestActionContext c = invite().onRoute("branch_route[b]", r -> {
            if (r.isbflagset(4) > 0) {
                r.drop();
            }
        });
        ActionContext kept = c.scriptHandle().run("branch_route[b]", RouteType.BRANCH, c.message(), Map.of(), 0);
        ActionContext dropped = c.scriptHandle().run("branch_route[b]", RouteType.BRANCH, c.message(), Map.of(), 1L << 4);
        assertFalse(kept.isDropped());
        assertTrue(dropped.isDropped());
        assertEquals(1L << 4, c.routeCalls().get(1).branchFlags());
    }

    @Test
    void aRouteTheTestGaveNothingForRunsEmptyAndIsRecorded() throws Exception {
        TestActionContext c = invite().flags(1);
        c.setbflag(2);
        ActionContext r = c.scriptHandle().run("event_route[x:y]", RouteType.EVENT, c.message(), Map.of());
        assertFalse(c.scriptHandle().hasRoute("event_route[x:y]"));
        assertNotSame(c, r);
        assertNull(r.destination());
        assertFalse(r.isDropped());
        assertEquals(1L << 2, r.branchFlags());
        assertEquals("event_route[x:y]", c.routeCalls().get(0).block());
    }

    @Test
    void aRouteBodyThatThrowsThrowsToTheCaller() {
        TestActionContext c = invite().onRoute("route[bad]", r -> {
            throw new IllegalStateException("boom");
        });
        assertThrows(IllegalStateException.class,
                () -> c.scriptHandle().run("route[bad]", RouteType.REQUEST, c.message(), Map.of()));
        assertEquals(1, c.routeCalls().size());
    }

    @Test
    void nestedRunsAreRecordedInTheFirstContext() throws Exception {
        TestActionContext c = invite().onRoute("route[a]", r -> r.scriptHandle().run("route[b]", RouteType.REQUEST,
                r.message(), Map.of()));
        c.scriptHandle().run("route[a]", RouteType.REQUEST, c.message(), Map.of());
        assertEquals(2, c.routeCalls().size());
        assertEquals("route[b]", c.routeCalls().get(1).block());
    }

    @Test
    void pseudoVariablesOfTheCoreAreKeptInTheContext() throws Exception {
        TestPseudoVariables pvs = new TestPseudoVariables();
        TestActionContext c = invite();
        PseudoVariableExport xavp = pvs.find("xavp").orElseThrow();
        xavp.setter().set(c, xavp.parseName("_dsdst_[1] => uri"), "sip:a@b");
        assertEquals("sip:a@b", c.values().get("xavp:_dsdst_[1]=>uri"));
        assertEquals("sip:a@b", xavp.getter().get(c, xavp.parseName("_dsdst_[1]=>uri")));
        PseudoVariableExport var = pvs.find("var").orElseThrow();
        var.setter().set(c, var.parseName("setid"), 3L);
        assertEquals(3L, c.values().get("var:setid"));
        PseudoVariableExport avp = pvs.find("avp").orElseThrow();
        avp.setter().set(c, avp.parseName("s:x"), "y");
        assertEquals("y", c.avps().get("x"));
        assertTrue(pvs.find("nope").isEmpty());
        pvs.add(PseudoVariableExport.builder("greeter", "greeter").getter((ctx, n) -> "hi").build());
        assertEquals("hi", pvs.find("greeter").orElseThrow().getter().get(c, null));
        assertEquals(1, pvs.ofModule("greeter").size());
    }
}
