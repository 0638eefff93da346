package org.siphon.tm.internal;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.Branch;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.header.NameAddress;

/**
 * The contact groups of {@code t_load_contacts()}, highest q first, that {@code t_next_contacts()}
 * takes one by one, and the Path (RFC 3327) the request carries as its top Route for the contact
 * that is its Request-URI, as Kamailio's path vector: taking the next group puts its first
 * contact's Path there instead. Used on the transaction's thread only.
 */
final class ContactGroups {

    /** The context attribute holding the Route header a {@code t_next_contacts()} of this route run inserted. */
    private static final String INSERTED = "tm.contacts.route";

    private final Deque<List<Branch>> groups;
    /** The Path in the request as routed (lookup's, for the Request-URI), or null. */
    private final String routedPath;

    ContactGroups(Deque<List<Branch>> groups, String routedPath) {
        this.groups = new ArrayDeque<>(groups);
        this.routedPath = routedPath;
    }

    /**
     * The Path the request of {@code ctx}'s route carries for its Request-URI: the Route header its
     * route put on top (as registrar's lookup does for the first contact) when it leads to the
     * route's {@code $du}, else null.
     */
    static String pathOf(ActionContext ctx, SipRequest r) {
        String top = r.edits().valueOf(SipHeaderNames.ROUTE);
        if (top == null || ctx.destination() == null || !r.edits().changes(SipHeaderNames.ROUTE)) {
            return null;
        }
        for (SipHeader h : r.headers(SipHeaderNames.ROUTE)) {
            if (h.value().equals(top)) {
                return null; // received, not added by the route
            }
        }
        try {
            List<NameAddress> hops = NameAddress.parseAll(top);
            return !hops.isEmpty() && ctx.destination().equals(hops.get(0).uri()) ? top : null;
        } catch (RuntimeException e) {
            return null; // not a Route this module can read: leave it as the route wrote it
        }
    }

    boolean isEmpty() {
        return groups.isEmpty();
    }

    /**
     * Takes the next group into {@code ctx}: its first contact as Request-URI, {@code $du}, branch
     * flags and Path (the Path of the contact before it replaced), the others as the destination set.
     */
    void next(ActionContext ctx) {
        List<Branch> group = groups.poll();
        Branch first = group.get(0);
        SipMessage m = ctx.message();
        m.edits().setRequestUri(first.uri());
        ctx.setDestination(first.destination());
        ctx.setBranchFlags(first.flags());
        ctx.branches().clear();
        ctx.branches().addAll(group.subList(1, group.size()));
        SipHeader inserted = (SipHeader) ctx.attribute(INSERTED);
        String current = inserted != null ? inserted.value() : routedPath;
        if (Objects.equals(current, first.path())) {
            return; // the request carries this Path already
        }
        if (inserted != null) {
            m.edits().remove(inserted);
        } else if (current != null) {
            // the failure route's copy of the request as routed has it as a header; in the request
            // route it is the route's own edit, which t_load_contacts' group order never replaces
            for (SipHeader h : m.headers(SipHeaderNames.ROUTE)) {
                if (h.value().equals(current)) {
                    m.edits().remove(h);
                    break;
                }
            }
        }
        ctx.attribute(INSERTED, first.path() == null ? null : m.edits().insertFirst(SipHeaderNames.ROUTE, first.path()));
    }
}
