package org.siphon.tm.internal;

import java.util.List;

import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;

/**
 * Which reply of a proxied transaction goes upstream (RFC 3261 §16.7 steps 6 and 7): the best
 * final reply among the branches that still compete — all of them, or only those of the latest
 * serial-forking leg, as {@code failure_reply_mode} says — and the challenges of every 401/407
 * gathered into the one sent. Used on the transaction's thread only.
 */
final class ReplyChoice {

    /** The first branch whose reply competes. */
    private int considerFrom;

    /** {@code failure_reply_mode} once a failure route added branches from {@code firstNew} on. */
    void newLeg(int failureReplyMode, int firstNew) {
        switch (failureReplyMode) {
            case 1, 3 -> considerFrom = firstNew;
            case 2 -> considerFrom = Math.max(0, firstNew - 1);
            default -> considerFrom = 0;
        }
    }

    /** Step 6: a 6xx if any, else the lowest class, preferring 401/407/415/420/484 among 4xx; null if none ended. */
    ProxyBranch best(List<ProxyBranch> branches) {
        ProxyBranch best = null;
        for (int i = considerFrom; i < branches.size(); i++) {
            ProxyBranch b = branches.get(i);
            if (b.done() && (best == null || b.rank() < best.rank())) {
                best = b;
            }
        }
        return best;
    }

    /**
     * Step 7: the 401/407 going upstream carries the WWW-Authenticate and Proxy-Authenticate values
     * of every 401/407 the competing branches received, so the caller can answer each challenge at once.
     */
    void addChallenges(List<ProxyBranch> branches, ProxyBranch best) {
        for (int i = considerFrom; i < branches.size(); i++) {
            ProxyBranch b = branches.get(i);
            if (b == best || b.reply == null || (b.status != 401 && b.status != 407)) {
                continue;
            }
            for (String name : List.of(SipHeaderNames.WWW_AUTHENTICATE, SipHeaderNames.PROXY_AUTHENTICATE)) {
                for (SipHeader h : b.reply.headers(name)) {
                    best.reply.edits().append(name, h.value());
                }
            }
        }
    }
}
