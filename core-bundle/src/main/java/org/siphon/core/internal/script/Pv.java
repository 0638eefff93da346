package org.siphon.core.internal.script;

import org.siphon.core.pv.PseudoVariableExport;

/**
 * A pseudo-variable as the script wrote it ({@code $ru}, {@code $hdr(Via)}), bound at load time to
 * the export of its class with its inner name parsed once.
 */
final class Pv implements Expr {

    private final String text;
    private final PseudoVariableExport export;
    private final Object name;
    private final java.util.List<Transformations.Tr> chain;

    Pv(String text, PseudoVariableExport export, Object name) {
        this(text, export, name, java.util.List.of());
    }

    private Pv(String text, PseudoVariableExport export, Object name, java.util.List<Transformations.Tr> chain) {
        this.text = text;
        this.export = export;
        this.name = name;
        this.chain = chain;
    }

    /** The same variable read through transformations (then not assignable). */
    Pv transformed(java.util.List<Transformations.Tr> transformations) {
        return new Pv(text, export, name, java.util.List.copyOf(transformations));
    }

    /**
     * Splits {@code $name(inner)} into class, inner name and transformation chain (null when none):
     * {@code $(name(inner){tr}{tr})} too.
     */
    static String[] split(String text) {
        String t = text.substring(1);
        String chain = null;
        if (t.startsWith("(") && t.endsWith(")")) {
            t = t.substring(1, t.length() - 1);
            int depth = 0;
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (c == '(') {
                    depth++;
                } else if (c == ')') {
                    depth--;
                } else if (c == '{' && depth == 0) {
                    chain = t.substring(i);
                    t = t.substring(0, i);
                    break;
                }
            }
        }
        String[] nameAndInner = splitName(t);
        return new String[] { nameAndInner[0], nameAndInner[1], chain };
    }

    private static String[] splitName(String t) {
        int open = t.indexOf('(');
        if (open < 0 || !t.endsWith(")")) {
            return new String[] { t, null };
        }
        return new String[] { t.substring(0, open), t.substring(open + 1, t.length() - 1) };
    }

    boolean writable() {
        return export.writable() && chain.isEmpty();
    }

    @Override
    public Object eval(ScriptRun r) throws Exception {
        Object v = export.getter().get(r, name);
        if (v instanceof Integer i) {
            v = (long) i;
        }
        for (Transformations.Tr t : chain) {
            v = t.apply(r, v);
        }
        return v;
    }

    void set(ScriptRun r, Object value) throws Exception {
        Object v = value instanceof Boolean b ? (Long) (b ? 1L : 0L) : value;
        export.setter().set(r, name, v);
    }

    @Override
    public String toString() {
        return text;
    }
}
