package org.siphon.tm.internal;

import org.siphon.core.proxy.Outgoing;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.uri.Uri;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outgoing branch of a proxied transaction (RFC 3261 §16.6): where it went, its client
 * transaction, the final reply it ended with — received, or made locally (408 on timeout, 503
 * on transport failure) — and its CANCEL. Used on the transaction's thread only.
 */
final class ProxyBranch implements ClientTransaction.Listener {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyBranch.class);

    final Transaction owner;
    final int index;
    final Uri uri;
    /**
     * The branch flags ({@code $bf}) of this branch: its destination-set entry's (lookup's contact
     * flags, or the flags append_branch copied), then as its branch_route and onreply_route left
     * them; its onreply and failure routes start with them.
     */
    long flags;
    ClientTransaction client;
    /** What the INVITE's CANCEL repeats of it (null for other methods). */
    Requests.Sent sent;
    /** The final status (0 while pending). */
    int status;
    String reason;
    /** The final reply received, or null when {@link #status} was made locally. */
    SipResponse reply;
    boolean provisional;
    boolean timedOut;
    boolean cancelPending;
    boolean cancelSent;

    ProxyBranch(Transaction owner, int index, Uri uri, long flags) {
        this.owner = owner;
        this.index = index;
        this.uri = uri;
        this.flags = flags;
    }

    /** What this branch sent (its client transaction's request; only destination and Via once it completed). */
    Outgoing request() {
        return client.request;
    }

    /** The transaction has settled: keep the status, not the reply. */
    void settle() {
        reply = null;
    }

    boolean done() {
        return status != 0;
    }

    /** How good the final reply is for RFC 3261 §16.7 step 6 (lower wins): 6xx, then by class, 401/407/415/420/484 first among 4xx. */
    int rank() {
        if (status >= 600) {
            return 0;
        }
        int r = (status / 100) * 10;
        return switch (status) {
            case 401, 407, 415, 420, 484 -> r - 5;
            default -> r;
        };
    }

    /** Cancels a pending INVITE branch: now if it has had a provisional reply, else on the first one (RFC 3261 §9.1). */
    void cancel() {
        if (done() || !owner.isInvite() || client == null) {
            return;
        }
        if (provisional) {
            sendCancel();
        } else {
            cancelPending = true;
        }
    }

    /** Sends this branch's CANCEL through its own non-INVITE client transaction, once. */
    void sendCancel() {
        if (cancelSent) {
            return;
        }
        cancelSent = true;
        cancelPending = false;
        Tm tm = owner.tm;
        NonInviteClientTransaction ct = new NonInviteClientTransaction(client.branch, Requests.cancel(sent, request()),
                owner.timers, owner.scheduler, tm.stateful::send, new CancelListener());
        tm.table.add(ct, SipMethods.CANCEL);
        ct.start();
    }

    /** The CANCEL's client transaction: its reply only counts; the INVITE's reply decides. */
    private final class CancelListener implements ClientTransaction.Listener {
        @Override
        public void response(ClientTransaction c, SipResponse response) {
            owner.tm.stats.rplReceived.increment();
        }

        @Override
        public void timeout(ClientTransaction c) {
            LOG.debug("CANCEL of branch {} of {} got no reply", index, owner.callId);
        }

        @Override
        public void transportError(ClientTransaction c, Throwable error) {
            LOG.debug("CANCEL of branch {} of {} not sent: {}", index, owner.callId, error.toString());
        }

        @Override
        public void terminated(ClientTransaction c) {
            owner.tm.table.remove(c, SipMethods.CANCEL);
        }
    }

    @Override
    public void response(ClientTransaction ct, SipResponse response) {
        owner.branchResponse(this, response);
    }

    @Override
    public void timeout(ClientTransaction ct) {
        owner.branchFailed(this, 408, "Request Timeout", true);
    }

    @Override
    public void transportError(ClientTransaction ct, Throwable error) {
        owner.branchFailed(this, 503, "Service Unavailable", false);
    }

    @Override
    public void terminated(ClientTransaction ct) {
        owner.tm.table.remove(ct, owner.method);
    }
}
