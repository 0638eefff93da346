package org.siphon.tm.internal;

import java.util.List;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.ScriptHandle;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.pv.PseudoVariableExport.InnerName;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;

/** tm's pseudo-variables: {@code $T_reply_code}, {@code $T_reply_reason}, {@code $T_branch_idx}, {@code $T_req(pv)}, {@code $T_rpl(pv)}. */
final class TmPseudoVariables {

    private TmPseudoVariables() {
    }

    static List<PseudoVariableExport> all(TmFunctions f) {
        String m = TmFunctions.MODULE;
        return List.of(
                PseudoVariableExport.builder("T_reply_code", m)
                        .description("The reply's code in onreply_route, the winning one in failure_route, the final one sent otherwise; 0 without")
                        .getter((c, n) -> (long) f.replyCode(c)).build(),
                PseudoVariableExport.builder("T_reply_reason", m)
                        .description("The reason phrase of that reply")
                        .getter((c, n) -> reason(f, c)).build(),
                PseudoVariableExport.builder("T_branch_idx", m)
                        .description("The index of the branch in branch_route and onreply_route (0 first)")
                        .getter((c, n) -> c.attribute(Transaction.ATTR_BRANCH) instanceof Integer i ? (long) i : 0L).build(),
                PseudoVariableExport.builder("T_req", m).innerName(InnerName.REQUIRED, s -> s)
                        .description("$T_req(pv): a pseudo-variable of the transaction's request (e.g. in onreply_route)")
                        .getter((c, n) -> {
                            Transaction t = f.transaction(c);
                            SipRequest r = t == null ? null : t.request;
                            return r == null ? null : value(c, (String) n, r);
                        }).build(),
                PseudoVariableExport.builder("T_rpl", m).innerName(InnerName.REQUIRED, s -> s)
                        .description("$T_rpl(pv): a pseudo-variable of the winning reply in failure_route")
                        .getter((c, n) -> {
                            Transaction t = f.transaction(c);
                            ProxyBranch b = t == null ? null : t.failureReply;
                            return b == null || b.reply == null ? null : value(c, (String) n, b.reply);
                        }).build());
    }

    private static Object reason(TmFunctions f, ActionContext c) {
        if (c.message() instanceof SipResponse r) {
            return r.reason();
        }
        Transaction t = f.transaction(c);
        if (t == null) {
            return null;
        }
        if (t.inFailureRoute() && t.failureReply != null) {
            return t.failureReply.reply != null ? t.failureReply.reply.reason() : t.failureReply.reason;
        }
        return null;
    }

    private static Object value(ActionContext c, String pv, SipMessage m) {
        ScriptHandle h = c.scriptHandle();
        return h == null ? null : h.value(pv, m);
    }
}
