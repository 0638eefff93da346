package org.siphon.dispatcher.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.ScriptHandle;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.pv.PseudoVariableRegistry;

/**
 * Reads and writes the script's pseudo-variables that the module fills ({@code $xavp(_dsdst_=>…)},
 * {@code setid_pvname}, {@code attrs_pvname}) and evaluates {@code hash_pvar}, through the core's
 * pseudo-variable registry (the core offers modules no other way to set an xavp). Thread-safe.
 */
final class Pvs {

    private final Supplier<PseudoVariableRegistry> registry;

    Pvs(Supplier<PseudoVariableRegistry> registry) {
        this.registry = registry;
    }

    /** Assigns {@code $xavp(root=>field)} (the first item) or {@code $xavp(root[index]=>field)}. */
    void xavp(ActionContext ctx, String root, int index, String field, Object value) {
        set(ctx, "xavp", root + (index < 0 ? "" : "[" + index + "]") + "=>" + field, value);
    }

    /** Assigns a pseudo-variable written {@code $name(inner)} (e.g. {@code $var(setid)}); ignored when empty. */
    void assign(ActionContext ctx, String pv, Object value) {
        if (pv == null || pv.isBlank()) {
            return;
        }
        String s = pv.trim();
        int open = s.indexOf('(');
        if (!s.startsWith("$") || open < 0 || !s.endsWith(")")) {
            set(ctx, s.startsWith("$") ? s.substring(1) : s, null, value);
            return;
        }
        set(ctx, s.substring(1, open), s.substring(open + 1, s.length() - 1), value);
    }

    private void set(ActionContext ctx, String name, String inner, Object value) {
        PseudoVariableRegistry r = registry.get();
        PseudoVariableExport e = r == null ? null : r.find(name).orElse(null);
        if (e == null || !e.writable()) {
            return;
        }
        try {
            Object v = value instanceof Integer i ? Long.valueOf(i) : value;
            e.setter().set(ctx, inner == null ? null : e.parseName(inner), v);
        } catch (Exception ex) {
            DispatcherComponent.LOG.debug("dispatcher: cannot set ${}({}): {}", name, inner, ex.toString());
        }
    }

    /** {@code hash_pvar} split into literal text and pseudo-variables ({@code $fU}, {@code $avp(x)}, {@code $(ci)}). */
    static List<String> parts(String spec) {
        return org.siphon.core.pv.PvText.split(spec);
    }

    /** The text of {@code parts} for this message; null when there is no script to read them with. */
    static String expand(ActionContext ctx, List<String> parts) {
        ScriptHandle h = null;
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (!p.startsWith("$") || p.length() == 1) {
                sb.append(p);
                continue;
            }
            if (h == null) {
                h = ctx.scriptHandle();
                if (h == null) {
                    return null;
                }
            }
            String pv = p.startsWith("$(") ? "$" + p.substring(2, p.length() - 1) : p;
            Object v = h.value(pv, ctx.message());
            sb.append(v == null ? "" : v);
        }
        return sb.toString();
    }
}
