package org.siphon.tm.internal;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.Branch;
import org.siphon.core.function.RouteType;
import org.siphon.core.proxy.Outgoing;
import org.siphon.core.proxy.UnresolvableException;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.uri.Uri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one branch of a relaying round (RFC 3261 §16.6): its own copy of the request when it
 * needs one, its {@code branch_route} (which may change it, its destination, or drop it), the
 * core's preparation for sending, and its client transaction. The branch route starts with the
 * branch's own flags (Kamailio's per-branch {@code $bf}). Runs on the transaction's thread.
 */
final class BranchStart {

    private static final Logger LOG = LoggerFactory.getLogger(BranchStart.class);

    private BranchStart() {
    }

    /**
     * Starts branch {@code t.branches.size()} to {@code target} from the request {@code base} the
     * route {@code ctx} relays, and adds it to {@code t}.
     *
     * @return false when it did not leave (dropped by its branch_route, or it could not be sent)
     */
    static boolean start(Transaction t, ActionContext ctx, SipRequest base, Branch target) {
        int index = t.branches.size();
        SipRequest msg = base;
        String onBranch = t.routes.onBranch;
        boolean copy = onBranch != null || target.path() != null || !target.uri().equals(base.edits().requestUri());
        if (copy) {
            msg = Transaction.copyOf(base);
            msg.edits().setRequestUri(target.uri());
            if (target.path() != null) {
                msg.edits().insertFirst("Route", target.path());
            }
        }
        Uri dst = target.destination();
        ActionContext sendCtx = ctx;
        long flags = target.flags();
        if (t.routes.runs(onBranch)) {
            try {
                sendCtx = t.routes.run(onBranch, RouteType.BRANCH, msg, t.attributes(index, null), flags);
            } catch (Exception e) {
                LOG.error("branch_route {} failed for {} {}", onBranch, t.method, t.callId, e);
                return false;
            }
            if (sendCtx.isDropped()) {
                LOG.debug("branch {} of {} dropped by {}", index, t.callId, onBranch);
                return false;
            }
            msg = (SipRequest) sendCtx.message();
            dst = sendCtx.destination() != null ? sendCtx.destination() : dst;
            flags = sendCtx.branchFlags(); // setbflag/resetbflag in branch_route stay with the branch
        }
        Tm tm = t.tm;
        String branchId = tm.branchId(t.id, index);
        Outgoing out;
        try {
            out = tm.stateful.prepare(sendCtx, msg, dst != null ? dst : msg.edits().requestUri(), branchId);
        } catch (UnresolvableException | RuntimeException e) {
            LOG.info("branch {} of {} {} to {} not sent: {}", index, t.method, t.callId, target.uri(), e.getMessage());
            return false;
        }
        ProxyBranch b = new ProxyBranch(t, index, target.uri(), flags);
        ClientTransaction ct;
        if (t.isInvite()) {
            Requests.Sent sent = Requests.Sent.of(msg); // what its ACK and CANCEL repeat
            b.sent = sent;
            ct = new InviteClientTransaction(branchId, out, t.timers, t.scheduler, tm.stateful::send, b,
                    tm.settings.restartFrOnEachReply(), r -> Requests.ack(sent, out, r));
        } else {
            ct = new NonInviteClientTransaction(branchId, out, t.timers, t.scheduler, tm.stateful::send, b);
        }
        b.client = ct;
        t.branches.add(b);
        tm.table.add(ct, t.method);
        ct.start();
        return true;
    }
}
