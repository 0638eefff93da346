package org.siphon.tm.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Pattern;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.Branch;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;

/**
 * tm's script functions, named and returning as Kamailio's: positive for true, negative for
 * false or error, 0 to stop the script (a retransmission was absorbed). Stateless apart from
 * the transaction table.
 */
final class TmFunctions {

    static final String MODULE = "tm";
    private static final RouteType[] REQ_FAIL = { RouteType.REQUEST, RouteType.FAILURE };
    private static final RouteType[] REQ_FAIL_BRANCH = { RouteType.REQUEST, RouteType.FAILURE, RouteType.BRANCH };

    private final Tm tm;

    TmFunctions(Tm tm) {
        this.tm = tm;
    }

    List<FunctionExport> all() {
        List<FunctionExport> l = new ArrayList<>();
        l.add(relay("t_relay", null));
        l.add(relay("t_relay_to_udp", "udp"));
        l.add(relay("t_relay_to_tcp", "tcp"));
        l.add(f("t_newtran", 0, 0, "Creates the transaction; 0 (stop) for a retransmission.", RouteType.REQUEST)
                .handler((c, a) -> newTransaction(c)).build());
        l.add(f("t_reply", 2, 2, "Replies statefully (creating the transaction if needed); 3xx lists the destination set as Contact.", REQ_FAIL)
                .fixup(a -> new Object[] { status(a.get(0)), a.get(1) })
                .handler((c, a) -> reply(c, (Integer) a[0], (String) a[1])).build());
        l.add(f("t_release", 0, 0, "Ends the transaction once it has its final reply.", REQ_FAIL)
                .handler((c, a) -> release(c)).build());
        l.add(f("t_check_trans", 0, 0, "CANCEL: 1 when its INVITE exists; other requests: resends the last reply of a retransmission and stops (0); -1 when none.", REQ_FAIL)
                .handler((c, a) -> checkTrans(c)).build());
        l.add(f("t_precheck_trans", 0, 0, "1 when a transaction for this request already exists (a retransmission).", RouteType.REQUEST)
                .handler((c, a) -> {
                    SipRequest r = request(c);
                    return r != null && r.topVia() != null && tm.table.find(r, r.method()) != null ? 1 : -1;
                }).build());
        l.add(onRoute("t_on_failure", Transaction.ON_FAILURE, "failure_route"));
        l.add(onRoute("t_on_reply", Transaction.ON_REPLY, "onreply_route"));
        l.add(onRoute("t_on_branch", Transaction.ON_BRANCH, "branch_route"));
        l.add(f("t_is_set", 1, 1, "1 when t_on_failure/t_on_reply/t_on_branch armed the named kind (failure_route, branch_route, onreply_route).", RouteType.any().toArray(RouteType[]::new))
                .fixup(a -> new Object[] { kind(a.get(0)) }).handler((c, a) -> isSet(c, (String) a[0])).build());
        l.add(f("t_check_status", 1, 1, "1 when the reply code (the winning one in failure_route) matches the regular expression.", RouteType.any().toArray(RouteType[]::new))
                .fixup(a -> new Object[] { Pattern.compile(a.get(0)) })
                .handler((c, a) -> ((Pattern) a[0]).matcher(Integer.toString(replyCode(c))).matches() ? 1 : -1).build());
        l.add(f("t_is_canceled", 0, 0, "1 when the transaction was canceled.", RouteType.any().toArray(RouteType[]::new))
                .handler((c, a) -> transaction(c) != null && transaction(c).canceled ? 1 : -1).build());
        l.add(f("t_is_branch_route", 0, 0, "1 inside a branch_route.", RouteType.any().toArray(RouteType[]::new))
                .handler((c, a) -> c.routeType() == RouteType.BRANCH ? 1 : -1).build());
        l.add(f("t_is_failure_route", 0, 0, "1 inside a failure_route.", RouteType.any().toArray(RouteType[]::new))
                .handler((c, a) -> c.routeType() == RouteType.FAILURE ? 1 : -1).build());
        l.add(f("t_is_reply_route", 0, 0, "1 inside an onreply_route.", RouteType.any().toArray(RouteType[]::new))
                .handler((c, a) -> c.routeType() == RouteType.ONREPLY ? 1 : -1).build());
        l.add(f("t_set_fr", 1, 2, "Sets fr_inv_timer and fr_timer (ms, 0 = unchanged) for the transaction about to be relayed.", REQ_FAIL_BRANCH)
                .fixup(a -> new Object[] { millis(a.get(0)), a.size() > 1 ? millis(a.get(1)) : 0L })
                .handler((c, a) -> {
                    c.attribute(Transaction.FR, new long[] { (Long) a[0], (Long) a[1] });
                    return 1;
                }).build());
        l.add(f("t_load_contacts", 0, 0, "Orders the Request-URI and the branches by q into groups for t_next_contacts; 1, or -1 with nothing to order.", REQ_FAIL)
                .handler((c, a) -> loadContacts(c)).build());
        l.add(f("t_next_contacts", 0, 0, "Takes the next q group: the first as Request-URI, the others as branches; -1 when none is left.", REQ_FAIL)
                .handler((c, a) -> nextContacts(c)).build());
        l.add(f("t_branch_timeout", 0, 0, "In failure_route: 1 when the winning branch timed out.", RouteType.FAILURE)
                .handler((c, a) -> transaction(c) != null && transaction(c).failureReply != null
                        && transaction(c).failureReply.timedOut ? 1 : -1).build());
        l.add(f("t_any_timeout", 0, 0, "1 when any branch timed out.", REQ_FAIL)
                .handler((c, a) -> transaction(c) != null && transaction(c).branches.stream().anyMatch(b -> b.timedOut) ? 1 : -1).build());
        l.add(f("t_any_replied", 0, 0, "1 when any branch received a reply.", REQ_FAIL)
                .handler((c, a) -> transaction(c) != null && transaction(c).branches.stream()
                        .anyMatch(b -> b.provisional || b.reply != null) ? 1 : -1).build());
        return l;
    }

    private static FunctionExport.Builder f(String name, int min, int max, String description, RouteType... routes) {
        return FunctionExport.builder(name, MODULE).args(min, max).routes(java.util.Set.of(routes)).description(description);
    }

    private FunctionExport relay(String name, String proto) {
        return f(name, 0, 2, "Relays statefully (to host:port when given): 1 sent, -1 not sent, 0 for an absorbed retransmission.", REQ_FAIL)
                .fixup(a -> new Object[] { target(a, proto) })
                .handler((c, a) -> relay(c, (Uri) a[0], proto)).build();
    }

    private FunctionExport onRoute(String name, String attribute, String block) {
        return f(name, 1, 1, "Arms " + block + "[name] for the transaction.", REQ_FAIL_BRANCH)
                .fixup(a -> new Object[] { block + "[" + a.get(0).trim() + "]" })
                .handler((c, a) -> {
                    c.attribute(attribute, a[0]);
                    Transaction t = transaction(c);
                    if (t != null && attribute.equals(Transaction.ON_REPLY)) {
                        t.routes.onReply = (String) a[0];
                    }
                    return 1;
                }).build();
    }

    static Uri target(List<String> a, String proto) {
        if (a.isEmpty()) {
            return null;
        }
        String host = a.get(0).trim();
        String port = a.size() > 1 ? a.get(1).trim() : "";
        String hostPart = host.contains(":") && !host.startsWith("[") && host.indexOf(':') != host.lastIndexOf(':')
                ? "[" + host + "]" : host;
        return UriParser.parse("sip:" + hostPart + (port.isEmpty() ? "" : ":" + Integer.parseInt(port))
                + (proto == null ? "" : ";transport=" + proto));
    }

    static int status(String s) {
        int v = Integer.parseInt(s.trim());
        if (v < 100 || v > 699) {
            throw new IllegalArgumentException("the status code must be 100..699, not " + v);
        }
        return v;
    }

    private static long millis(String s) {
        long v = Long.parseLong(s.trim());
        if (v < 0) {
            throw new IllegalArgumentException("a timer cannot be negative");
        }
        return v;
    }

    private static String kind(String s) {
        String k = s.trim();
        if (!List.of("failure_route", "branch_route", "onreply_route").contains(k)) {
            throw new IllegalArgumentException("t_is_set takes failure_route, branch_route or onreply_route, not " + k);
        }
        return k;
    }

    static SipRequest request(ActionContext c) {
        return c.message() instanceof SipRequest r ? r : null;
    }

    Transaction transaction(ActionContext c) {
        if (c.attribute(Transaction.ATTR) instanceof Transaction t) {
            return t;
        }
        SipRequest r = request(c);
        if (r == null || r.topVia() == null || r.isMethod(SipMethods.ACK)) {
            return null;
        }
        Transaction t = tm.table.find(r, r.method());
        if (t != null) {
            c.attribute(Transaction.ATTR, t);
        }
        return t;
    }

    /** The transaction of the context, created when missing; null for a retransmission (already answered). */
    private Transaction transactionOrNew(ActionContext c, boolean[] retransmission) {
        if (c.attribute(Transaction.ATTR) instanceof Transaction t) {
            return t;
        }
        SipRequest r = request(c);
        Transaction t = new Transaction(tm, r);
        Transaction existing = tm.table.putIfAbsent(t);
        if (existing != null) {
            t.discard();
            existing.server.retransmission();
            retransmission[0] = true;
            return null;
        }
        tm.stats.uas.increment();
        c.attribute(Transaction.ATTR, t);
        return t;
    }

    int newTransaction(ActionContext c) {
        SipRequest r = request(c);
        if (r == null || r.isMethod(SipMethods.ACK) || r.isMethod(SipMethods.CANCEL)) {
            return -1;
        }
        boolean[] retr = new boolean[1];
        return transactionOrNew(c, retr) != null ? 1 : 0;
    }

    int relay(ActionContext c, Uri target, String proto) {
        SipRequest r = request(c);
        if (r == null) {
            return -1;
        }
        target = TransactionTargets.forProtocol(c, r, target, proto);
        if (r.isMethod(SipMethods.ACK)) {
            int rc = tm.core.forward(c, target); // end-to-end ACK of a 2xx: no transaction (RFC 3261 §17)
            if (rc > 0 && !tm.observers.isEmpty()) {
                tm.acknowledged(r, c.scriptHandle());
            }
            return rc;
        }
        if (r.isMethod(SipMethods.CANCEL)) {
            return cancel(c, r, target);
        }
        if (c.routeType() == RouteType.FAILURE) {
            Transaction t = transaction(c);
            return t == null ? -1 : t.relay(c, target);
        }
        boolean[] retr = new boolean[1];
        Transaction t = transactionOrNew(c, retr);
        if (t == null) {
            return 0;
        }
        return t.relay(c, target);
    }

    /** A CANCEL: its own transaction answered 200, its INVITE's branches canceled; unmatched ones go on statelessly. */
    private int cancel(ActionContext c, SipRequest r, Uri target) {
        Transaction invite = tm.table.find(r, SipMethods.INVITE);
        if (invite == null) {
            return tm.settings.unmatchedCancelStateless() ? tm.core.forward(c, target) : -1;
        }
        boolean[] retr = new boolean[1];
        Transaction t = transactionOrNew(c, retr);
        if (t == null) {
            return 0;
        }
        t.localReply(200, "Canceling", List.of(), null, null);
        invite.cancel();
        return 1;
    }

    int reply(ActionContext c, int status, String reason) {
        SipRequest r = request(c);
        if (r == null || r.isMethod(SipMethods.ACK)) {
            return -1;
        }
        boolean[] retr = new boolean[1];
        Transaction t = c.routeType() == RouteType.FAILURE ? transaction(c) : transactionOrNew(c, retr);
        if (t == null) {
            return retr[0] ? 0 : -1;
        }
        List<SipHeader> extra = new ArrayList<>();
        if (status >= 300 && status < 400) {
            extra.addAll(contacts(c, r, t));
        }
        return localReply(c, t, status, reason, extra) ? 1 : -1;
    }

    /** A local reply with what textops' append_to_reply and set_reply_body left for it. */
    static boolean localReply(ActionContext c, Transaction t, int status, String reason, List<SipHeader> extra) {
        List<SipHeader> headers = new ArrayList<>(extra);
        if (c.attribute(ActionContext.REPLY_HEADERS) instanceof List<?> l) {
            for (Object h : l) {
                headers.add((SipHeader) h);
            }
        }
        if (c.attribute(ActionContext.REPLY_BODY) instanceof String[] body) {
            return t.localReply(status, reason, headers, body[0], body[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return t.localReply(status, reason, headers, null, null);
    }

    /** Kamailio's redirect rule: the Request-URI when it was changed, then every branch, as Contact. */
    private static List<SipHeader> contacts(ActionContext c, SipRequest r, Transaction t) {
        List<SipHeader> l = new ArrayList<>();
        Uri ruri = r.edits().requestUri();
        if (t.request != null && !ruri.equals(t.request.requestUri())) {
            l.add(SipHeader.of("Contact", "<" + ruri + ">"));
        }
        for (Branch b : c.branches()) {
            l.add(SipHeader.of("Contact", "<" + b.uri() + ">" + (b.q() >= 0 ? ";q=" + q(b.q()) : "")));
        }
        c.branches().clear();
        return l;
    }

    private static String q(int q) {
        return q >= 1000 ? "1" : "0." + String.format("%03d", q).replaceAll("0+$", "");
    }

    private int release(ActionContext c) {
        Transaction t = transaction(c);
        if (t == null || !t.server.finalSent()) {
            return -1;
        }
        t.server.terminate();
        return 1;
    }

    int checkTrans(ActionContext c) {
        SipRequest r = request(c);
        if (r == null || r.topVia() == null) {
            return -1;
        }
        if (r.isMethod(SipMethods.CANCEL)) {
            return tm.table.find(r, SipMethods.INVITE) != null ? 1 : -1;
        }
        if (r.isMethod(SipMethods.ACK)) {
            Transaction t = tm.table.find(r, SipMethods.ACK);
            return t != null && t.server instanceof InviteServerTransaction ist && ist.ack() ? 1 : -1;
        }
        Transaction t = tm.table.find(r, r.method());
        if (t == null) {
            return -1;
        }
        if (c.routeType() == RouteType.REQUEST && c.attribute(Transaction.ATTR) != t) {
            t.server.retransmission();
            return 0;
        }
        return 1;
    }

    private int isSet(ActionContext c, String kind) {
        String attr = switch (kind) {
            case "failure_route" -> Transaction.ON_FAILURE;
            case "branch_route" -> Transaction.ON_BRANCH;
            default -> Transaction.ON_REPLY;
        };
        if (c.attribute(attr) != null) {
            return 1;
        }
        Transaction t = transaction(c);
        if (t == null) {
            return -1;
        }
        String v = switch (kind) {
            case "failure_route" -> t.routes.onFailure;
            case "branch_route" -> t.routes.onBranch;
            default -> t.routes.onReply;
        };
        return v != null ? 1 : -1;
    }

    int replyCode(ActionContext c) {
        if (c.message() instanceof SipResponse resp) {
            return resp.status();
        }
        Transaction t = transaction(c);
        return t == null ? 0 : t.replyCode();
    }

    private int loadContacts(ActionContext c) {
        SipRequest r = request(c);
        if (r == null || c.branches().isEmpty()) {
            return -1;
        }
        String path = ContactGroups.pathOf(c, r);
        TreeMap<Integer, List<Branch>> byQ = new TreeMap<>(java.util.Comparator.reverseOrder());
        byQ.computeIfAbsent(1000, k -> new ArrayList<>()).add(new Branch(r.edits().requestUri(), c.destination(), path, 1000,
                c.branchFlags()));
        for (Branch b : c.branches()) {
            byQ.computeIfAbsent(b.q() < 0 ? 1000 : b.q(), k -> new ArrayList<>()).add(b);
        }
        c.branches().clear();
        c.attribute(Transaction.CONTACTS, new ContactGroups(new ArrayDeque<>(byQ.values()), path));
        return 1;
    }

    private int nextContacts(ActionContext c) {
        ContactGroups groups = (ContactGroups) c.attribute(Transaction.CONTACTS);
        if (groups == null) {
            Transaction t = transaction(c);
            groups = t == null ? null : t.routes.contacts();
        }
        if (groups == null || groups.isEmpty()) {
            return -1;
        }
        groups.next(c);
        c.attribute(Transaction.CONTACTS, groups);
        return 1;
    }
}
