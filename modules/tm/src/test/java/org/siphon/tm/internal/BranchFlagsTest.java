package org.siphon.tm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.Branch;
import org.siphon.core.function.RouteType;
import org.siphon.core.sip.uri.UriParser;

/**
 * Issue 28: each branch of a fork carries its own branch flags, as Kamailio's per-branch
 * {@code $bf}: the Request-URI's branch the relaying route's flags (those lookup restored for the
 * first contact), an appended branch its own (the contact's, or what append_branch copied); its
 * branch_route starts with them and what it sets stays with the branch; its onreply_route starts
 * with them (and keeps what it sets); failure_route starts with the winning branch's.
 */
class BranchFlagsTest {

    static final long NAT = 1L << 6;
    static final long WS = 1L << 7;
    static final long SET_IN_BRANCH = 1L << 3;
    static final long SET_IN_REPLY = 1L << 4;

    final ProxyFixture f = new ProxyFixture();

    /** A fork to bob's two contacts: the first (the Request-URI) without flags, the second over a NATed WebSocket. */
    Transaction fork() {
        ProxyFixture.Context ctx = f.request(ProxyFixture.INVITE);
        ctx.message().edits().setRequestUri(UriParser.parse("sip:bob@127.0.0.1:5071"));
        ctx.setBranchFlags(0);
        ctx.branches().add(new Branch(UriParser.parse("sip:bob@127.0.0.1:5072;transport=tcp"), null, null, -1, NAT | WS));
        ctx.attribute(Transaction.ON_BRANCH, "branch_route[b]");
        ctx.attribute(Transaction.ON_REPLY, "onreply_route[r]");
        ctx.attribute(Transaction.ON_FAILURE, "failure_route[f]");
        f.script = (run, c) -> {
            if (run.type() == RouteType.BRANCH && (run.flags() & NAT) != 0) {
                c.setBranchFlags(c.branchFlags() | SET_IN_BRANCH); // as setbflag in branch_route
            }
            if (run.type() == RouteType.ONREPLY && run.branch() == 0) {
                c.setBranchFlags(c.branchFlags() | SET_IN_REPLY);
            }
        };
        Transaction t = f.relay(ctx);
        assertEquals(2, t.branches.size());
        return t;
    }

    @Test
    void eachBranchRouteStartsWithItsOwnBranchsFlags() {
        Transaction t = fork();
        assertEquals(List.of(new ProxyFixture.Run("branch_route[b]", RouteType.BRANCH, 0, 0),
                new ProxyFixture.Run("branch_route[b]", RouteType.BRANCH, 1, NAT | WS)), f.runs(RouteType.BRANCH));
        assertEquals(0, t.branches.get(0).flags);
        assertEquals(NAT | WS | SET_IN_BRANCH, t.branches.get(1).flags, "what branch_route set stays with its branch");
    }

    @Test
    void replyAndFailureRoutesStartWithTheFlagsOfTheirBranch() {
        Transaction t = fork();
        f.reply(t, 1, 180, "b1");
        f.reply(t, 0, 180, "b0");
        f.reply(t, 0, 486, "b0");
        f.reply(t, 1, 407, "b1"); // 407 wins over 486 (RFC 3261 §16.7)
        assertEquals(List.of(new ProxyFixture.Run("onreply_route[r]", RouteType.ONREPLY, 1, NAT | WS | SET_IN_BRANCH),
                new ProxyFixture.Run("onreply_route[r]", RouteType.ONREPLY, 0, 0),
                new ProxyFixture.Run("onreply_route[r]", RouteType.ONREPLY, 0, SET_IN_REPLY),
                new ProxyFixture.Run("onreply_route[r]", RouteType.ONREPLY, 1, NAT | WS | SET_IN_BRANCH)),
                f.runs(RouteType.ONREPLY), "and what onreply_route set stays with its branch");
        assertEquals(List.of(new ProxyFixture.Run("failure_route[f]", RouteType.FAILURE, 1, NAT | WS | SET_IN_BRANCH)),
                f.runs(RouteType.FAILURE), "the failure route of the winning branch");
    }

    @Test
    void aNewBranchFromFailureRouteHasTheFailureRoutesFlagsAndAppendedOnesTheirOwn() {
        Transaction t = fork();
        f.script = (run, c) -> {
            if (run.type() == RouteType.FAILURE) {
                c.setBranchFlags(c.branchFlags() & ~NAT); // resetbflag, then serial forking to voicemail
                c.message().edits().setRequestUri(UriParser.parse("sip:vm@127.0.0.1:5073"));
                c.branches().add(new Branch(UriParser.parse("sip:vm@127.0.0.1:5074"), null, null, -1, 1L << 9));
                t.relay(c, null);
            }
        };
        f.reply(t, 0, 486, "b0");
        f.reply(t, 1, 407, "b1");
        assertEquals(4, t.branches.size(), f.sent::toString);
        assertEquals(NAT | WS | SET_IN_BRANCH, f.runs(RouteType.FAILURE).get(0).flags(), "the 407's branch won");
        assertEquals(WS | SET_IN_BRANCH, t.branches.get(2).flags);
        assertEquals(1L << 9, t.branches.get(3).flags);
    }
}
