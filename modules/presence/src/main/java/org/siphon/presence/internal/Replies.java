package org.siphon.presence.internal;

import java.util.List;

import org.siphon.core.function.ActionContext;
import org.siphon.core.proxy.StatefulCore;
import org.siphon.core.proxy.TransactionLayer;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipRequest;

/**
 * Replies of handle_publish and handle_subscribe: through the request's transaction when the
 * script made one ({@code t_newtran}), so that retransmissions get the same answer, statelessly
 * otherwise; both with the server's To tag ({@link StatefulCore#toTag}), the one the dialog of a
 * SUBSCRIBE keeps. Thread-safe.
 */
final class Replies {

    private final PresenceComponent m;

    Replies(PresenceComponent m) {
        this.m = m;
    }

    void send(ActionContext ctx, SipRequest req, int status, String reason, List<SipHeader> headers) {
        Object oldHeaders = ctx.attribute(ActionContext.REPLY_HEADERS);
        Object oldBody = ctx.attribute(ActionContext.REPLY_BODY);
        try {
            ctx.attribute(ActionContext.REPLY_HEADERS, headers);
            ctx.attribute(ActionContext.REPLY_BODY, null);
            for (TransactionLayer t : m.transactions()) {
                if (t.reply(ctx, status, reason)) {
                    return;
                }
            }
        } finally {
            ctx.attribute(ActionContext.REPLY_HEADERS, oldHeaders);
            ctx.attribute(ActionContext.REPLY_BODY, oldBody);
        }
        StatefulCore core = m.stateful();
        core.sendReply(req, core.buildReply(req, status, reason, headers, core.toTag(req), null, null));
    }

    /** The To tag the replies to {@code req} carry. */
    String toTag(SipRequest req) {
        String t = req.toTag();
        return t != null && !t.isEmpty() ? t : m.stateful().toTag(req);
    }
}
