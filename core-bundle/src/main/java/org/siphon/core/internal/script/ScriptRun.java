package org.siphon.core.internal.script;

import java.util.HashMap;
import java.util.Map;

import org.siphon.core.function.RouteType;
import org.siphon.core.internal.proxy.CoreActionContext;
import org.siphon.core.sip.SipMessage;

/**
 * One execution of the routing script for one message: the context functions see, plus the
 * script's own state — {@code $var} values, message flags, the last return code ({@code $rc}),
 * and how the current block ends (return, exit, drop, break). Used by one thread.
 */
public final class ScriptRun extends CoreActionContext {

    /** How control leaves the statement being run. */
    enum Flow { NEXT, BREAK, RETURN, EXIT }

    final Script script;
    final org.siphon.core.proxy.SipCore core;
    Flow flow = Flow.NEXT;
    int retcode = 1;
    boolean dropped;
    long flags;
    long branchFlags;
    private Map<String, Object> vars;
    int depth;

    ScriptRun(Script script, org.siphon.core.proxy.SipCore core, SipMessage message, RouteType routeType) {
        super(message, routeType);
        this.script = script;
        this.core = core;
    }

    Object var(String name) {
        return vars == null ? null : vars.get(name);
    }

    void var(String name, Object value) {
        if (vars == null) {
            vars = new HashMap<>();
        }
        vars.put(name, value);
    }

    @Override
    public long branchFlags() {
        return branchFlags;
    }

    @Override
    public void setBranchFlags(long flags) {
        branchFlags = flags;
    }

    @Override
    public Object avp(String name) {
        return var("avp:" + name);
    }

    @Override
    public void avp(String name, Object value) {
        var("avp:" + name, value);
    }

    /** Whether the script ran {@code drop}. */
    @Override
    public boolean isDropped() {
        return dropped;
    }

    @Override
    public org.siphon.core.function.ScriptHandle scriptHandle() {
        return new RunHandle(script, core, flags, RunHandle.copyOf(vars), this);
    }

    public int retcode() {
        return retcode;
    }
}
