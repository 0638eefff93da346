package org.siphon.core.internal.script;

import org.siphon.core.pv.PseudoVariableExport;

/**
 * A pseudo-variable as the script wrote it ({@code $ru}, {@code $hdr(Via)}), bound at load time to
 * the export of its class with its inner name parsed once. A module's pseudo-variable is bound
 * again when the module is updated ({@link #bind}); while its module is gone it reads as null and
 * ignores writes. Thread-safe: the binding is swapped atomically.
 */
final class Pv implements Expr {

    /** The export and the inner name it parsed: swapped together. */
    private record Binding(PseudoVariableExport export, Object name) {
    }

    private final String text;
    private final String inner;
    private volatile Binding binding;
    private final java.util.List<Transformations.Tr> chain;

    /** @param inner the inner name as written ({@code Via} of {@code $hdr(Via)}), or null */
    Pv(String text, PseudoVariableExport export, String inner) {
        this(text, inner, new Binding(export, inner == null ? null : export.parseName(inner)), java.util.List.of());
    }

    private Pv(String text, String inner, Binding binding, java.util.List<Transformations.Tr> chain) {
        this.text = text;
        this.inner = inner;
        this.binding = binding;
        this.chain = chain;
    }

    /** The same variable read through transformations (then not assignable). */
    Pv transformed(java.util.List<Transformations.Tr> transformations) {
        return new Pv(text, inner, binding, java.util.List.copyOf(transformations));
    }

    /** The class name ({@code T_reply_code} of {@code $T_reply_code}). */
    String className() {
        return split(text)[0];
    }

    /** The module that exported it when it was bound last. */
    String module() {
        Binding b = binding;
        return b == null ? null : b.export().module();
    }

    /** The export it is bound to, or null. */
    PseudoVariableExport export() {
        Binding b = binding;
        return b == null ? null : b.export();
    }

    /** Binds to a new export of the class (its module was updated), or with null marks it gone. */
    void bind(PseudoVariableExport export) {
        binding = export == null ? null : new Binding(export, inner == null ? null : export.parseName(inner));
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

    /** {@code name(inner)}; Kamailio's indexed form {@code name(inner)[i]} passes {@code inner[i]} to the name parser. */
    private static String[] splitName(String t) {
        int index = t.lastIndexOf(")[");
        if (index > 0 && t.endsWith("]")) {
            String[] ni = splitName(t.substring(0, index + 1));
            return new String[] { ni[0], ni[1] + t.substring(index + 1) };
        }
        int open = t.indexOf('(');
        if (open < 0 || !t.endsWith(")")) {
            return new String[] { t, null };
        }
        return new String[] { t.substring(0, open), t.substring(open + 1, t.length() - 1) };
    }

    boolean writable() {
        Binding b = binding;
        return b != null && b.export().writable() && chain.isEmpty();
    }

    @Override
    public Object eval(ScriptRun r) throws Exception {
        Binding b = binding;
        Object v = b == null ? null : b.export().getter().get(r, b.name());
        if (v instanceof Integer i) {
            v = (long) i;
        }
        for (Transformations.Tr t : chain) {
            v = t.apply(r, v);
        }
        return v;
    }

    void set(ScriptRun r, Object value) throws Exception {
        Object v = value instanceof Boolean bool ? (Long) (bool ? 1L : 0L) : value;
        Binding b = binding;
        if (b != null && b.export().setter() != null) {
            b.export().setter().set(r, b.name(), v);
        }
    }

    @Override
    public String toString() {
        return text;
    }
}
