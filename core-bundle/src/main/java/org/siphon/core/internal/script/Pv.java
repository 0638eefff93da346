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

    Pv(String text, PseudoVariableExport export, Object name) {
        this.text = text;
        this.export = export;
        this.name = name;
    }

    /** Splits {@code $name(inner)} into class and inner name; {@code $(name(inner))} too. */
    static String[] split(String text) {
        String t = text.substring(1);
        if (t.startsWith("(") && t.endsWith(")")) {
            t = t.substring(1, t.length() - 1);
        }
        int open = t.indexOf('(');
        if (open < 0 || !t.endsWith(")")) {
            return new String[] { t, null };
        }
        return new String[] { t.substring(0, open), t.substring(open + 1, t.length() - 1) };
    }

    boolean writable() {
        return export.writable();
    }

    @Override
    public Object eval(ScriptRun r) throws Exception {
        Object v = export.getter().get(r, name);
        if (v instanceof Integer i) {
            return (long) i;
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
