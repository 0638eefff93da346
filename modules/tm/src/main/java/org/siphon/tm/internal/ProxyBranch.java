package org.siphon.tm.internal;

import org.siphon.core.proxy.Outgoing;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.uri.Uri;

/**
 * One outgoing branch of a proxied transaction (RFC 3261 §16.6): where it went, its client
 * transaction, and the final reply it ended with — received, or made locally (408 on timeout,
 * 503 on transport failure). Used on the transaction's thread only.
 */
final class ProxyBranch implements ClientTransaction.Listener {

    final Transaction owner;
    final int index;
    final Uri uri;
    final Outgoing request;
    ClientTransaction client;
    /** The final status (0 while pending). */
    int status;
    String reason;
    /** The final reply received, or null when {@link #status} was made locally. */
    SipResponse reply;
    boolean provisional;
    boolean timedOut;
    boolean cancelPending;
    boolean cancelSent;

    ProxyBranch(Transaction owner, int index, Uri uri, Outgoing request) {
        this.owner = owner;
        this.index = index;
        this.uri = uri;
        this.request = request;
    }

    boolean done() {
        return status != 0;
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
