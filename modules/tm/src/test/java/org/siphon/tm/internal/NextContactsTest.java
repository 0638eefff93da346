package org.siphon.tm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.Branch;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.sip.uri.UriParser;

/**
 * Serial forking with {@code t_load_contacts()}/{@code t_next_contacts()} over contacts that
 * registered through proxies (RFC 3327 Path): each branch carries its own contact's Path as
 * Route headers and no other contact's, also the first contact of each q group, which
 * {@code t_next_contacts()} makes the Request-URI.
 */
class NextContactsTest {

    static final String P1 = "<sip:edge1.example:5061;lr>";
    static final String P2 = "<sip:edge2.example:5062;lr>";

    final ProxyFixture f = new ProxyFixture();
    final List<FunctionExport> functions = new TmFunctions(f.tm).all();

    int call(String name, ActionContext c) throws Exception {
        FunctionExport fn = functions.stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
        return fn.handler().call(c, new Object[0]);
    }

    /** The INVITEs sent (the ACKs of the 486s left out), whole. */
    List<String> invites() {
        return f.sentText.stream().filter(s -> s.startsWith("INVITE ")).toList();
    }

    /** The Route values of INVITE {@code i}, top first. */
    List<String> routes(int i) {
        return Arrays.stream(invites().get(i).split("\r\n")).filter(l -> l.startsWith("Route:"))
                .map(l -> l.substring(6).trim()).toList();
    }

    String requestUri(int i) {
        return invites().get(i).split(" ")[1];
    }

    /**
     * What registrar's lookup leaves for bob's three contacts by q: the first (q 1, via edge1)
     * as Request-URI with its Path as a Route and edge1 as $du, the others (q 0.5 via edge2,
     * q 0.1 direct) in the destination set; then t_load_contacts, t_next_contacts, t_relay
     * with a failure_route that takes the next group.
     */
    Transaction relayThroughLookup() throws Exception {
        ProxyFixture.Context ctx = f.request(ProxyFixture.INVITE);
        ctx.message().edits().setRequestUri(UriParser.parse("sip:bob@10.0.0.1"));
        ctx.message().edits().insertFirst("Route", P1);
        ctx.setDestination(UriParser.parse("sip:edge1.example:5061;lr"));
        ctx.branches().add(new Branch(UriParser.parse("sip:bob@10.0.0.2"), UriParser.parse("sip:edge2.example:5062;lr"),
                P2, 500, 0));
        ctx.branches().add(new Branch(UriParser.parse("sip:bob@10.0.0.3"), null, null, 100, 0));
        assertEquals(1, call("t_load_contacts", ctx));
        assertEquals(1, call("t_next_contacts", ctx));
        ctx.attribute(Transaction.ON_FAILURE, "failure_route[next]");
        f.script = (run, c) -> {
            if (run.type() == RouteType.FAILURE) {
                try {
                    if (call("t_next_contacts", c) > 0) {
                        c.attribute(Transaction.ON_FAILURE, "failure_route[next]"); // t_on_failure again
                        ((Transaction) c.attribute(Transaction.ATTR)).relay(c, null);
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        };
        Transaction t = f.relay(ctx);
        assertEquals(1, t.branches.size(), f.sent::toString);
        return t;
    }

    @Test
    void theFirstGroupGoesThroughItsContactsPath() throws Exception {
        relayThroughLookup();
        assertEquals("sip:bob@10.0.0.1", requestUri(0));
        assertEquals(List.of(P1), routes(0));
    }

    @Test
    void theNextGroupsFirstContactKeepsItsOwnPathAndNotTheFirstOnes() throws Exception {
        Transaction t = relayThroughLookup();
        f.reply(t, 0, 486, "b0");
        assertEquals(2, invites().size(), f.sent::toString);
        assertEquals("sip:bob@10.0.0.2", requestUri(1));
        assertEquals(List.of(P2), routes(1), invites().get(1));
    }

    @Test
    void aContactWithoutPathGetsNoRouteFromAnEarlierGroup() throws Exception {
        Transaction t = relayThroughLookup();
        f.reply(t, 0, 486, "b0");
        f.reply(t, 1, 486, "b1");
        assertEquals(3, invites().size(), f.sent::toString);
        assertEquals("sip:bob@10.0.0.3", requestUri(2));
        assertEquals(List.of(), routes(2), invites().get(2));
    }
}
