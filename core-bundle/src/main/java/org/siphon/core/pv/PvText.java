package org.siphon.core.pv;

import java.util.ArrayList;
import java.util.List;

/**
 * Text that may hold pseudo-variables, as a module parameter holds it (dispatcher's
 * {@code hash_pvar}, msilo's {@code from_address} …): split once into literal runs and
 * pseudo-variables ({@code $rU}, {@code $avp(x)}, {@code $(ci{s.len})}); a module evaluates the
 * pseudo-variables per message (e.g. with {@code ScriptHandle.value}) and joins the parts.
 * A lone {@code $} is literal. Stateless.
 */
public final class PvText {

    private PvText() {
    }

    /** The parts of {@code spec} in order; a part starting with {@code $} (longer than 1) is a pseudo-variable. */
    public static List<String> split(String spec) {
        List<String> out = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < spec.length()) {
            char c = spec.charAt(i);
            int j = c == '$' ? end(spec, i + 1) : i + 1;
            if (j == i + 1) { // a literal character, or a lone '$'
                lit.append(c);
                i++;
                continue;
            }
            if (lit.length() > 0) {
                out.add(lit.toString());
                lit.setLength(0);
            }
            out.add(spec.substring(i, j));
            i = j;
        }
        if (lit.length() > 0) {
            out.add(lit.toString());
        }
        return out;
    }

    /**
     * Joins {@code parts} (from {@link #split}) with each pseudo-variable replaced by its value for
     * {@code message} through {@code script} ({@code $(ci)} read as {@code $ci}); a variable without a
     * value, or with no script to read it, is empty.
     */
    public static String expand(List<String> parts, org.siphon.core.function.ScriptHandle script,
            org.siphon.core.sip.SipMessage message) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (!p.startsWith("$") || p.length() == 1) {
                sb.append(p);
                continue;
            }
            Object v = null;
            if (script != null) {
                try {
                    v = script.value(p.startsWith("$(") ? "$" + p.substring(2, p.length() - 1) : p, message);
                } catch (RuntimeException e) {
                    v = null; // no value here, as Kamailio prints an unset variable: empty
                }
            }
            sb.append(v == null ? "" : v);
        }
        return sb.toString();
    }

    /** Where the pseudo-variable whose name starts at {@code j} ends: {@code (…)} or a name with its optional {@code (…)}. */
    private static int end(String spec, int j) {
        if (j >= spec.length()) {
            return j;
        }
        if (spec.charAt(j) == '(') {
            int close = spec.indexOf(')', j);
            return close < 0 ? spec.length() : close + 1;
        }
        while (j < spec.length() && (Character.isLetterOrDigit(spec.charAt(j)) || spec.charAt(j) == '_')) {
            j++;
        }
        if (j < spec.length() && spec.charAt(j) == '(') {
            int depth = 0;
            for (; j < spec.length(); j++) {
                if (spec.charAt(j) == '(') {
                    depth++;
                } else if (spec.charAt(j) == ')' && --depth == 0) {
                    return j + 1;
                }
            }
        }
        return j;
    }
}
