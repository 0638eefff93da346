package org.siphon.core.internal.script;

import java.util.ArrayList;
import java.util.List;

/**
 * Text with pseudo-variables in it ({@code "$rm from $fu"}), split once at load time into literal
 * parts and variables; {@code $$} is a dollar sign.
 */
final class Format implements Expr {

    private final List<Object> parts;

    private Format(List<Object> parts) {
        this.parts = parts;
    }

    /** Compiles {@code text}; {@code binder} turns one {@code $...} into a {@link Pv}. */
    static Expr of(String text, java.util.function.Function<String, Pv> binder) {
        if (text.indexOf('$') < 0) {
            return r -> text;
        }
        List<Object> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$') {
                lit.append(c);
                i++;
                continue;
            }
            if (i + 1 < text.length() && text.charAt(i + 1) == '$') {
                lit.append('$');
                i += 2;
                continue;
            }
            int end = endOfPv(text, i);
            if (end == i + 1) {
                lit.append('$');
                i++;
                continue;
            }
            if (lit.length() > 0) {
                parts.add(lit.toString());
                lit.setLength(0);
            }
            parts.add(binder.apply(text.substring(i, end)));
            i = end;
        }
        if (lit.length() > 0) {
            parts.add(lit.toString());
        }
        return new Format(parts);
    }

    private static int endOfPv(String t, int start) {
        int i = start + 1;
        if (i < t.length() && t.charAt(i) == '(') {
            int depth = 0;
            for (; i < t.length(); i++) {
                if (t.charAt(i) == '(') {
                    depth++;
                } else if (t.charAt(i) == ')' && --depth == 0) {
                    return i + 1;
                }
            }
            return t.length();
        }
        while (i < t.length() && (Character.isLetterOrDigit(t.charAt(i)) || t.charAt(i) == '_')) {
            i++;
        }
        if (i < t.length() && t.charAt(i) == '(') {
            int close = t.indexOf(')', i);
            return close < 0 ? t.length() : close + 1;
        }
        return i;
    }

    @Override
    public Object eval(ScriptRun r) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            sb.append(p instanceof Pv pv ? Values.toText(pv.eval(r)) : (String) p);
        }
        return sb.toString();
    }
}
