package org.siphon.tm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.Branch;
import org.siphon.core.function.RouteType;
import org.siphon.core.proxy.Cancellable;
import org.siphon.core.proxy.StatefulCore;
import org.siphon.core.proxy.TransactionOutcome;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.uri.Uri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A proxied transaction (Kamailio's "cell"), RFC 3261 §16: the server transaction facing the
 * caller and the branches forked from it (parallel from one {@code t_relay}, serial from
 * {@code failure_route}), the best-response choice of §16.7, CANCEL of pending branches, and
 * the script routes tied to it ({@code branch_route}, {@code onreply_route},
 * {@code failure_route}), run with the script version that created it. Every method runs on
 * the SIP worker of the transaction's Call-ID.
 */
final class Transaction implements ServerTransaction.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(Transaction.class);

    /** ActionContext attributes tm uses. */
    static final String ATTR = "tm.transaction";
    static final String ATTR_BRANCH = "tm.branch";
    static final String ATTR_REPLY = "tm.reply";
    static final String ON_FAILURE = "tm.on_failure";
    static final String ON_REPLY = "tm.on_reply";
    static final String ON_BRANCH = "tm.on_branch";
    static final String FR = "tm.fr";
    static final String CONTACTS = "tm.contacts";

    final Tm tm;
    final String key;
    final long id;
    /**
     * The request as received; null once the transaction has settled without an onreply_route
     * armed ({@link #settleWhenDone}): replies then go through {@link #replies}.
     */
    volatile SipRequest request;
    final String callId;
    final long cseq;
    /** The From header, kept for {@code tm.list} when the request is let go. */
    private String from;
    private StatefulCore.ReplySender replies;
    final String method;
    final Scheduler scheduler;
    final ServerTransaction server;
    final long created;
    TimerTable timers;
    private Cancellable lifetime;
    final TransactionRoutes routes = new TransactionRoutes();
    final List<ProxyBranch> branches = new ArrayList<>(2);
    private final ReplyChoice choice = new ReplyChoice();
    boolean canceled;
    private boolean inFailureRoute;
    private boolean relayed;
    private boolean settled;
    SipRequest routed;
    /** The reply a failure route is running for. */
    ProxyBranch failureReply;

    Transaction(Tm tm, SipRequest request) {
        this.tm = tm;
        this.request = request;
        this.callId = request.callId();
        this.cseq = request.cseq() == null ? 0 : request.cseq().number();
        this.method = request.method();
        this.key = TransactionTable.serverKey(request, method);
        this.id = tm.nextId();
        this.scheduler = tm.scheduler(callId);
        this.timers = tm.timers;
        this.created = scheduler.now();
        boolean reliable = request.source() != null && !"udp".equals(request.source().transport());
        java.util.function.Consumer<byte[]> sender = this::sendReply;
        boolean invite = SipMethods.INVITE.equals(method);
        this.server = invite ? new InviteServerTransaction(reliable, timers, scheduler, sender, this)
                : new NonInviteServerTransaction(reliable, timers, scheduler, sender, this);
        this.lifetime = scheduler.schedule(invite ? timers.maxInvLifetime() : timers.maxNoninvLifetime(),
                this::lifetimeExpired);
    }

    private void sendReply(byte[] bytes) {
        (replies != null ? replies.send(bytes) : tm.stateful.sendReply(request, bytes)).whenComplete((v, e) -> {
            if (e != null) {
                LOG.info("reply to {} {} could not be sent: {}", method, callId, e.toString());
            }
        });
    }

    /** The From header of the request, also once it was let go. */
    String from() {
        SipRequest r = request;
        return r != null ? r.headerValue("From") : from;
    }

    boolean isInvite() {
        return SipMethods.INVITE.equals(method);
    }

    // ---- relaying -------------------------------------------------------------------------

    /**
     * {@code t_relay}: one branch for the Request-URI (with {@code $du} or {@code target}) and one
     * per entry of the destination set, each through {@code branch_route} when one is armed.
     *
     * In the request route a request whose Max-Forwards is 0 (and that the script left as it
     * came) is answered 483 instead (RFC 3261 §16.3 item 3).
     *
     * @return 1 when at least one branch left, -1 when none could
     */
    int relay(ActionContext ctx, Uri target) {
        SipRequest base = (SipRequest) ctx.message();
        if (TransactionTargets.tooManyHops(ctx, base)) {
            localReply(483, "Too Many Hops", List.of(), null, null);
            return -1;
        }
        takeRouteSettings(ctx);
        if (routed == null) {
            routed = base;
        }
        List<Branch> targets = TransactionTargets.take(ctx, base, request, target);
        if (targets.isEmpty()) {
            return -1;
        }
        if (isInvite() && !relayed && tm.settings.autoInv100() && !server.finalSent()) {
            localReply(100, tm.settings.autoInv100Reason(), List.of(), null, null);
        }
        relayed = true;
        int before = branches.size();
        for (Branch b : targets) {
            BranchStart.start(this, ctx, base, b);
        }
        return branches.size() > before ? 1 : -1;
    }

    /** Takes what the relaying route armed: its routes, and fr timers changed by {@code t_set_fr}. */
    private void takeRouteSettings(ActionContext ctx) {
        routes.take(ctx);
        if (ctx.attribute(FR) instanceof long[] fr) {
            timers = new TimerTable(timers.t1(), timers.t2(), timers.t4(), fr[1] > 0 ? fr[1] : timers.frTimer(),
                    fr[0] > 0 ? fr[0] : timers.frInvTimer(), timers.maxInvLifetime(), timers.maxNoninvLifetime());
        }
    }

    /**
     * An independent copy of a request with its edits applied. A Max-Forwards the script already
     * set stays marked as set, so that the core does not decrement it a second time.
     */
    static SipRequest copyOf(SipRequest base) {
        SipRequest copy = (SipRequest) base.edits().apply();
        if (base.edits().changes(SipHeaderNames.MAX_FORWARDS)) {
            SipHeader mf = copy.header(SipHeaderNames.MAX_FORWARDS);
            if (mf != null) {
                copy.edits().replace(mf, mf.value());
            }
        }
        return copy;
    }

    Map<String, Object> attributes(int branch, ProxyBranch reply) {
        return routes.attributes(this, branch, reply);
    }

    // ---- replies from branches ------------------------------------------------------------

    void branchResponse(ProxyBranch b, SipResponse r) {
        tm.stats.rplReceived.increment();
        SipResponse reply = r;
        int status = r.status();
        String onReply = routes.onReply;
        if (routes.runs(onReply)) {
            try {
                ActionContext c = routes.run(onReply, RouteType.ONREPLY, r, attributes(b.index, null), b.flags);
                b.flags = c.branchFlags(); // as Kamailio keeps what onreply_route set for the branch
                if (c.isDropped() && status < 200) {
                    return;
                }
                reply = (SipResponse) c.message();
            } catch (Exception e) {
                LOG.error("onreply_route {} failed for {} {}", onReply, status, r.callId(), e);
            }
        }
        if (status < 200) {
            b.provisional = true;
            if (b.cancelPending) {
                b.sendCancel();
            }
            if (status > 100 && !server.finalSent()) {
                relay(status, reply);
            }
            return;
        }
        if (b.done() && status < 300) {
            relay(status, reply);
            return;
        }
        b.status = status;
        b.reason = r.reason();
        b.reply = reply;
        if (status < 300) {
            relay(status, reply);
            cancelPending(b);
        } else {
            if (status >= 600) {
                cancelPending(b);
            }
            checkCompletion();
        }
        settleWhenDone();
    }

    void branchFailed(ProxyBranch b, int status, String reason, boolean timeout) {
        if (b.done()) {
            return;
        }
        b.status = status;
        b.reason = reason;
        b.timedOut = timeout;
        if (timeout && isInvite() && b.provisional) {
            b.sendCancel(); // RFC 3261 §16.8: Timer C fired on a branch that had rung
        }
        checkCompletion();
        settleWhenDone();
    }

    /**
     * Once the final reply has gone upstream and every branch has ended, the transaction only
     * waits (Timers D, J, K, L, M: seconds) to absorb retransmissions: it lets go of the replies
     * received, the bytes sent, the request as routed and, unless an onreply_route may still run
     * for a late 2xx, the script state and the request itself. A settled transaction weighs a fraction of a live one,
     * which matters at thousands of calls per second (fewer bytes for the GC to copy).
     */
    private void settleWhenDone() {
        if (settled || inFailureRoute || !server.finalSent()) {
            return;
        }
        for (ProxyBranch b : branches) {
            if (!b.done()) {
                return;
            }
        }
        settled = true;
        routed = null;
        failureReply = null;
        if (routes.settle()) {
            // no route runs for this transaction any more: the request can go, replies keep their way back
            replies = tm.stateful.replySender(request);
            from = request.headerValue("From");
            request = null;
        }
        for (ProxyBranch b : branches) {
            b.settle();
        }
        lifetime.cancel(); // the state machine's own timers (H, I, J, L) end it from here
        lifetime = () -> { };
    }

    private void relay(int status, SipResponse reply) {
        if (server.reply(status, tm.stateful.relayBytes(reply))) {
            tm.stats.rplRelayed.increment();
            if (status >= 200) {
                tm.stats.finalReply(status);
            }
            if (status > 100 && !tm.observers.isEmpty()) {
                tm.tell(new TransactionOutcome(routedOrReceived(), status, reply.reason(), reply.toTag(), routes.script(),
                        false), status < 200);
            }
        }
    }

    /** The request as the script routed it (edits applied), else as received. */
    private SipRequest routedOrReceived() {
        SipRequest r = routed != null ? routed : request;
        return r == null ? null : copyOf(r);
    }

    /** When every branch has its final reply: failure_route, or the best reply upstream (§16.7). */
    void checkCompletion() {
        if (server.finalSent() || inFailureRoute) {
            return;
        }
        for (ProxyBranch b : branches) {
            if (!b.done()) {
                return;
            }
        }
        ProxyBranch best = choice.best(branches);
        if (best == null) {
            return;
        }
        String route = routes.onFailure;
        if (route != null && !routes.runs(route)) {
            LOG.warn("{} {}: t_on_failure armed {}, which the script does not define", method, callId, route);
        }
        if (routes.runs(route)) {
            routes.onFailure = null;
            int before = branches.size();
            inFailureRoute = true;
            failureReply = best;
            try {
                routes.run(route, RouteType.FAILURE, copyOf(routed), attributes(best.index, best), best.flags);
            } catch (Exception e) {
                LOG.error("failure_route {} failed for {} {}", route, method, callId, e);
            } finally {
                inFailureRoute = false;
            }
            if (server.finalSent()) {
                settleWhenDone();
                return;
            }
            if (branches.size() > before) {
                choice.newLeg(tm.settings.failureReplyMode(), before);
                checkCompletion();
                return;
            }
        }
        sendBest(best);
    }

    private void sendBest(ProxyBranch best) {
        if (canceled && best.reply == null) {
            localReply(487, "Request Terminated", List.of(), null, null);
        } else if (best.reply == null) {
            localReply(best.status, best.reason, List.of(), null, null);
        } else if (best.status == 503) {
            localReply(500, "Service Unavailable Downstream", List.of(), null, null); // RFC 3261 §16.7 step 6
        } else {
            if (best.status == 401 || best.status == 407) {
                choice.addChallenges(branches, best);
            }
            relay(best.status, best.reply);
        }
    }

    // ---- local replies, CANCEL, end ---------------------------------------------------------

    /** {@code t_reply} and friends; a final reply cancels what is still pending. */
    boolean localReply(int status, String reason, List<SipHeader> extra, String contentType, byte[] body) {
        if (request == null) {
            return false; // settled: its final reply went long ago
        }
        byte[] bytes = tm.stateful.buildReply(request, status, reason, extra, tm.stateful.toTag(request), contentType, body);
        if (!server.reply(status, bytes)) {
            return false;
        }
        tm.stats.rplGenerated.increment();
        if (status >= 200 && !tm.observers.isEmpty()) {
            tm.tell(new TransactionOutcome(routedOrReceived(), status, reason, tm.stateful.toTag(request), routes.script(),
                    true), false);
        }
        if (status >= 200) {
            tm.stats.finalReply(status);
            for (ProxyBranch b : branches) {
                b.cancel();
            }
            settleWhenDone();
        }
        return true;
    }

    /** A CANCEL for this INVITE (or {@code tm.cancel}): cancel every pending branch; 487 when none exists. */
    void cancel() {
        canceled = true;
        if (branches.isEmpty() && !server.finalSent()) {
            localReply(487, "Request Terminated", List.of(), null, null);
            return;
        }
        for (ProxyBranch b : branches) {
            b.cancel();
        }
    }

    private void cancelPending(ProxyBranch except) {
        for (ProxyBranch b : branches) {
            if (b != except) {
                b.cancel();
            }
        }
    }

    private void lifetimeExpired() {
        if (server.terminated()) {
            return;
        }
        if (!server.finalSent()) {
            LOG.info("{} {} reached its lifetime without a final reply: answering 408", method, callId);
            canceled = true;
            localReply(408, "Request Timeout", List.of(), null, null);
        } else {
            server.terminate();
        }
    }

    @Override
    public void terminated(ServerTransaction st) {
        lifetime.cancel();
        tm.table.remove(this);
        tm.stats.freed.increment();
    }

    /** Forgets a transaction that was never entered in the table (it lost the race to a twin). */
    void discard() {
        lifetime.cancel();
    }

    /** Ends now, silently, with every branch (module stopping). */
    void terminate() {
        for (ProxyBranch b : branches) {
            if (b.client != null) {
                b.client.terminate();
            }
        }
        server.terminate();
    }

    // ---- for pseudo-variables and RPC -------------------------------------------------------

    /** The status the transaction ended with or, in a failure route, the winning one; 0 when none. */
    int replyCode() {
        if (failureReply != null && inFailureRoute) {
            return failureReply.status;
        }
        return server.finalStatus;
    }

    boolean inFailureRoute() {
        return inFailureRoute;
    }
}
