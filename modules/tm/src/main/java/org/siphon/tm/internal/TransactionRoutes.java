package org.siphon.tm.internal;

import java.util.HashMap;
import java.util.Map;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.RouteType;
import org.siphon.core.function.ScriptHandle;
import org.siphon.core.sip.SipMessage;

/**
 * What the script armed for one transaction: the script version that created it, the routes to
 * run for its branches ({@code branch_route}), replies ({@code onreply_route}) and failure
 * ({@code failure_route}), the contact groups of {@code t_load_contacts}, and the attributes
 * those routes see. Used on the transaction's thread only.
 */
final class TransactionRoutes {

    private ScriptHandle script;
    String onFailure;
    String onReply;
    String onBranch;
    private ContactGroups contacts;

    /** Takes what the route calling {@code t_relay} armed; an onreply_route armed earlier stays. */
    void take(ActionContext ctx) {
        ScriptHandle handle = ctx.scriptHandle();
        if (handle != null) {
            script = handle;
        }
        onFailure = (String) ctx.attribute(Transaction.ON_FAILURE);
        onReply = ctx.attribute(Transaction.ON_REPLY) != null ? (String) ctx.attribute(Transaction.ON_REPLY) : onReply;
        onBranch = (String) ctx.attribute(Transaction.ON_BRANCH);
        if (ctx.attribute(Transaction.CONTACTS) instanceof ContactGroups c) {
            contacts = c;
        }
    }

    /** The script run that relayed the transaction's request, or null. */
    ScriptHandle script() {
        return script;
    }

    /** Whether {@code route} is armed and the script defines it. */
    boolean runs(String route) {
        return route != null && script != null && script.hasRoute(route);
    }

    /** Runs {@code route} starting with {@code branchFlags}: the flags of the branch it runs for. */
    ActionContext run(String route, RouteType type, SipMessage message, Map<String, Object> attributes, long branchFlags)
            throws Exception {
        return script.run(route, type, message, attributes, branchFlags);
    }

    /** What tm's routes see: the transaction, the branch, the reply; routes armed for earlier rounds are not armed again. */
    Map<String, Object> attributes(Transaction t, int branch, ProxyBranch reply) {
        Map<String, Object> a = new HashMap<>();
        a.put(Transaction.ON_FAILURE, null);
        a.put(Transaction.ON_BRANCH, null);
        a.put(Transaction.ON_REPLY, null);
        a.put(Transaction.ATTR, t);
        a.put(Transaction.ATTR_BRANCH, branch);
        if (reply != null) {
            a.put(Transaction.ATTR_REPLY, reply);
        }
        if (contacts != null) {
            a.put(Transaction.CONTACTS, contacts);
        }
        return a;
    }

    /** The contact groups {@code t_load_contacts} left for {@code t_next_contacts} in failure_route, or null. */
    ContactGroups contacts() {
        return contacts;
    }

    /**
     * The transaction has settled: the contact groups go and, unless an onreply_route may still
     * run for a late 2xx, the script state too.
     *
     * @return true when no route runs for the transaction any more
     */
    boolean settle() {
        contacts = null;
        if (onReply != null) {
            return false;
        }
        script = null;
        return true;
    }
}
