package org.siphon.core.internal.script;

import java.util.ArrayList;
import java.util.List;

import org.siphon.core.function.FunctionExport;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A call of a module function, bound to the registry's export at load time and re-bound when
 * the module goes and comes back (the engine listens to the function registry). Arguments are
 * fixed up once per binding; an argument holding pseudo-variables is formatted per call and then
 * fixed up. While unbound, a call answers the request 503 naming the module and ends the script.
 * Thread-safe: the binding is swapped atomically.
 */
final class FunctionCall implements CallExpr {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionCall.class);

    /** An export with the arguments fixed up for it. */
    private record Binding(FunctionExport export, Object[] fixed) {
    }

    /** How an unbound call answers its request: request and reason phrase. */
    interface Replier {
        void reply(SipRequest request, String reason);
    }

    final String name;
    final String module;
    private final List<String> rawArgs;
    private final List<Expr> dynamicArgs;
    private final String where;
    private final Replier replier;
    private final long latencyLimitNanos;
    private volatile Binding binding;

    FunctionCall(FunctionExport export, List<String> rawArgs, List<Expr> dynamicArgs, String where, Replier replier,
            int latencyLimitMillis) {
        this.latencyLimitNanos = latencyLimitMillis * 1_000_000L;
        this.name = export.name();
        this.module = export.module();
        this.rawArgs = rawArgs;
        this.dynamicArgs = dynamicArgs;
        this.where = where;
        this.replier = replier;
        bind(export);
    }

    /** Binds to {@code export}; throws IllegalArgumentException when its fixup refuses the arguments. */
    void bind(FunctionExport export) {
        Object[] fixed = dynamicArgs == null ? export.fixup().apply(rawArgs) : null;
        binding = new Binding(export, fixed);
    }

    void unbind() {
        binding = null;
    }

    /** The export this call runs now; null while unbound. */
    FunctionExport export() {
        Binding b = binding;
        return b == null ? null : b.export;
    }

    /** When each unbound function last logged, ms: one line per function per second, not one per request. */
    private static final java.util.concurrent.ConcurrentHashMap<String, Long> UNBOUND_LOGGED =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Where the script calls the function, e.g. {@code siphon.cfg:12 t_relay()}. */
    String site() {
        return where + " " + name + "()";
    }

    private void logUnbound() {
        long now = System.currentTimeMillis();
        Long last = UNBOUND_LOGGED.get(name);
        if (last != null && now - last < 1000) {
            return;
        }
        boolean mine = last == null ? UNBOUND_LOGGED.putIfAbsent(name, now) == null
                : UNBOUND_LOGGED.replace(name, last, now);
        if (!mine) {
            return; // another worker logged it just now
        }
        LOG.error("{}: {}() needs module {}, which is not active: answering 503 (logged once a second)", where, name,
                module);
    }

    @Override
    public Object eval(ScriptRun r) throws Exception {
        Binding b = binding;
        if (b == null) {
            logUnbound();
            SipMessage m = r.message();
            if (m instanceof SipRequest req && !req.isMethod("ACK")) {
                replier.reply(req, "Module " + module + " Unavailable");
            }
            r.flow = ScriptRun.Flow.EXIT;
            return 0L;
        }
        Object[] args = b.fixed;
        if (args == null) {
            List<String> values = new ArrayList<>(dynamicArgs.size());
            for (Expr e : dynamicArgs) {
                values.add(Values.toText(e.eval(r)));
            }
            try {
                args = b.export.fixup().apply(values);
            } catch (RuntimeException e) {
                // a variable's value the function refuses (ds_select_dst("$var(s)") with "nine"): the
                // call is false, as in Kamailio, and the script goes on
                LOG.warn("{}: {}() refused its arguments {}: {}", where, name, values, e.getMessage());
                r.retcode = -1;
                return -1L;
            }
        }
        int rc;
        long t0 = latencyLimitNanos > 0 ? System.nanoTime() : 0;
        try {
            rc = b.export.handler().call(r, args);
        } catch (Exception e) {
            LOG.error("{}: {}() failed", where, name, e);
            rc = -1;
        }
        if (latencyLimitNanos > 0) {
            long took = System.nanoTime() - t0;
            if (took > latencyLimitNanos) {
                LOG.warn("latency: {}: {}() took {} ms (latency_limit_action is {} ms)", where, name, took / 1_000_000,
                        latencyLimitNanos / 1_000_000);
            }
        }
        r.retcode = rc;
        if (rc == 0 && r.flow == ScriptRun.Flow.NEXT) {
            // Kamailio: a module function answering 0 ends the script, also inside a condition
            // (if (!t_relay()) must not answer a retransmission t_relay absorbed)
            r.flow = ScriptRun.Flow.EXIT;
        }
        return (long) rc;
    }
}
