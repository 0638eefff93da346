package org.siphon.tm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.Branch;
import org.siphon.core.function.RouteType;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;

/**
 * Where {@code t_relay} sends: the Max-Forwards check (483), the branches of one relaying round
 * (the Request-URI and the destination set) and the target of {@code t_relay_to_<proto>}.
 * Stateless.
 */
final class TransactionTargets {

    private TransactionTargets() {
    }

    /**
     * Whether a request in the request route must be answered 483 instead of relayed: its
     * Max-Forwards is 0 and the script left it as it came (RFC 3261 §16.3 item 3).
     */
    static boolean tooManyHops(ActionContext ctx, SipRequest base) {
        return ctx.routeType() != RouteType.FAILURE && base.maxForwards() == 0
                && !base.edits().changes(SipHeaderNames.MAX_FORWARDS);
    }

    /**
     * The branches of this round, taking the destination set out of {@code ctx}: the Request-URI
     * (to {@code target}, else {@code $du}) — unless {@code append_branch()} already moved it into
     * the set, or this is a failure route that left it as {@code received} had it — with the
     * route's branch flags, then every entry of the set with its own.
     */
    static List<Branch> take(ActionContext ctx, SipRequest base, SipRequest received, Uri target) {
        List<Branch> targets = new ArrayList<>(2);
        Uri ruri = base.edits().requestUri();
        boolean failureRoute = ctx.routeType() == RouteType.FAILURE;
        Uri dst = target != null ? target : ctx.destination();
        boolean appended = ctx.branches().stream()
                .anyMatch(b -> b.uri().equals(ruri) && Objects.equals(b.destination(), dst));
        if (!appended && (!failureRoute || dst != null || !ruri.equals(received.requestUri()))) {
            targets.add(new Branch(ruri, dst, null, -1, ctx.branchFlags()));
        }
        targets.addAll(ctx.branches());
        ctx.branches().clear();
        return targets;
    }

    /**
     * Where {@code t_relay_to_<proto>()} without host sends: {@code $du}, else the Request-URI, by
     * that protocol; {@code target} itself when given or when no protocol is forced.
     */
    static Uri forProtocol(ActionContext ctx, SipRequest request, Uri target, String proto) {
        if (proto == null || target != null) {
            return target;
        }
        Uri u = ctx.destination() != null ? ctx.destination() : request.edits().requestUri();
        return u instanceof SipUri su ? UriParser.parse("sip:" + su.host()
                + (su.port() > 0 ? ":" + su.port() : "") + ";transport=" + proto) : null;
    }
}
