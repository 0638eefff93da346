package org.siphon.core.internal.script;

import java.util.HashMap;
import java.util.Map;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.RouteType;
import org.siphon.core.function.ScriptHandle;
import org.siphon.core.internal.proxy.CoreActionContext;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.sip.SipMessage;

/**
 * A compiled script plus the state of the run it was taken from — flags, branch flags (those
 * {@code lookup} restored for the first contact, e.g. a NAT flag: every branch, reply and failure
 * route of the transaction starts with them), {@code $avp},
 * {@code $xavp}, {@code $var}, module attributes and sending options ({@code force_rport},
 * {@code force_send_socket}): what a transaction keeps to run its failure, branch and reply
 * routes later with the script version that created it. Immutable; thread-safe.
 */
final class RunHandle implements ScriptHandle {

    private final Script script;
    private final SipCore core;
    private final long flags;
    private final long branchFlags;
    private final Map<String, Object> vars;
    private final CoreActionContext origin;

    /** @param from the run this handle is taken from: its sending options and attributes are kept */
    RunHandle(Script script, SipCore core, long flags, Map<String, Object> vars, CoreActionContext from) {
        this.script = script;
        this.core = core;
        this.flags = flags;
        this.branchFlags = from.branchFlags();
        this.vars = vars;
        this.origin = new CoreActionContext(from.message(), from.routeType());
        origin.inherit(from);
    }

    @Override
    public long flags() {
        return flags;
    }

    @Override
    public boolean hasRoute(String block) {
        return script.hasRoute(block);
    }

    @Override
    public ActionContext run(String block, RouteType type, SipMessage message, Map<String, Object> attributes)
            throws Exception {
        return run(block, type, message, attributes, branchFlags);
    }

    @Override
    public ActionContext run(String block, RouteType type, SipMessage message, Map<String, Object> attributes,
            long branchFlags) throws Exception {
        ScriptRun r = new ScriptRun(script, core, message, type);
        r.flags = flags;
        r.branchFlags = branchFlags;
        vars.forEach(r::var);
        r.inherit(origin);
        attributes.forEach(r::attribute);
        if (script.hasRoute(block)) {
            r.retcode = script.route(block).run(r);
        }
        return r;
    }

    /**
     * Evaluated as in the run this handle was taken from — its flags, branch flags, {@code $var}s
     * and module attributes — so that a pseudo-variable inside another one's name
     * ({@code $sht(t=>$subs(callid))}) reads what the run sees.
     */
    @Override
    public Object value(String pseudoVariable, SipMessage message) {
        String[] parts = Pv.split(pseudoVariable);
        PseudoVariableExport e = script.pseudoVariables().apply(parts[0]).orElse(null);
        if (e == null) {
            return null;
        }
        ScriptRun r = new ScriptRun(script, core, message, origin.routeType());
        r.flags = flags;
        r.branchFlags = branchFlags;
        vars.forEach(r::var);
        r.inherit(origin); // module attributes, e.g. presence's $subs after handle_subscribe
        try {
            return new Pv(pseudoVariable, e, parts[1]).eval(r);
        } catch (Exception ex) {
            return null;
        }
    }

    static Map<String, Object> copyOf(Map<String, Object> vars) {
        Map<String, Object> copy = new HashMap<>();
        if (vars != null) {
            vars.forEach((k, v) -> {
                if (!k.startsWith("\u0000")) {
                    copy.put(k, v);
                }
            });
        }
        return copy;
    }
}
