package org.siphon.core.internal.script;

/**
 * The expressions of {@code #!defexp}, {@code #!defexps} and {@code #!ifexp}: numbers, double-quoted
 * strings, defined names (their values, already substituted), parentheses, {@code + - * / %}
 * ({@code +} joins when either side is a string), comparisons {@code == != < <= > >=}, and
 * {@code && || !}. True is 1, false 0; a condition holds when its value is a non-zero number or
 * a non-empty string. Recursive descent over one line; throws {@link IllegalArgumentException}
 * with what is wrong.
 */
final class PreprocessorExpression {

    private final String text;
    private int pos;

    private PreprocessorExpression(String text) {
        this.text = text;
    }

    /** The value: a {@link Long} or a {@link String}. */
    static Object evaluate(String text) {
        PreprocessorExpression e = new PreprocessorExpression(text);
        Object v = e.or();
        e.skipSpace();
        if (e.pos < text.length()) {
            throw new IllegalArgumentException("unexpected '" + text.substring(e.pos) + "'");
        }
        return v;
    }

    static boolean truth(Object v) {
        return v instanceof Long n ? n != 0 : !((String) v).isEmpty();
    }

    /** The value as a define holds it: a number as digits, a string in double quotes (quoted) or bare. */
    static String text(Object v, boolean quoted) {
        if (v instanceof Long n) {
            return quoted ? "\"" + n + "\"" : n.toString();
        }
        return quoted ? "\"" + ((String) v).replace("\"", "\\\"") + "\"" : (String) v;
    }

    private Object or() {
        Object v = and();
        while (take("||")) {
            Object r = and();
            v = bool(truth(v) || truth(r));
        }
        return v;
    }

    private Object and() {
        Object v = comparison();
        while (take("&&")) {
            Object r = comparison();
            v = bool(truth(v) && truth(r));
        }
        return v;
    }

    private Object comparison() {
        Object v = sum();
        for (String op : new String[] { "==", "!=", "<=", ">=", "<", ">" }) {
            if (take(op)) {
                Object r = sum();
                int c = v instanceof Long a && r instanceof Long b ? Long.compare(a, b) : text(v, false).compareTo(text(r, false));
                return bool(switch (op) {
                    case "==" -> c == 0;
                    case "!=" -> c != 0;
                    case "<=" -> c <= 0;
                    case ">=" -> c >= 0;
                    case "<" -> c < 0;
                    default -> c > 0;
                });
            }
        }
        return v;
    }

    private Object sum() {
        Object v = product();
        while (true) {
            if (take("+")) {
                Object r = product();
                v = v instanceof Long a && r instanceof Long b ? (Object) (a + b) : text(v, false) + text(r, false);
            } else if (take("-")) {
                v = number(v) - number(product());
            } else {
                return v;
            }
        }
    }

    private Object product() {
        Object v = unary();
        while (true) {
            if (take("*")) {
                v = number(v) * number(unary());
            } else if (take("/") || take("%")) {
                boolean div = text.charAt(pos - 1) == '/';
                long r = number(unary());
                if (r == 0) {
                    throw new IllegalArgumentException("division by zero");
                }
                v = div ? number(v) / r : number(v) % r;
            } else {
                return v;
            }
        }
    }

    private Object unary() {
        if (take("!")) {
            return bool(!truth(unary()));
        }
        if (take("-")) {
            return -number(unary());
        }
        return primary();
    }

    private Object primary() {
        skipSpace();
        if (pos >= text.length()) {
            throw new IllegalArgumentException("the expression ends too early");
        }
        char c = text.charAt(pos);
        if (c == '(') {
            pos++;
            Object v = or();
            if (!take(")")) {
                throw new IllegalArgumentException("missing ')'");
            }
            return v;
        }
        if (c == '"') {
            StringBuilder sb = new StringBuilder();
            for (pos++; pos < text.length() && text.charAt(pos) != '"'; pos++) {
                if (text.charAt(pos) == '\\' && pos + 1 < text.length()) {
                    pos++;
                }
                sb.append(text.charAt(pos));
            }
            if (pos >= text.length()) {
                throw new IllegalArgumentException("unterminated string");
            }
            pos++;
            return sb.toString();
        }
        if (Character.isDigit(c)) {
            int start = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            return Long.parseLong(text.substring(start, pos));
        }
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        throw new IllegalArgumentException(pos > start ? "'" + text.substring(start, pos) + "' is not defined"
                : "unexpected '" + c + "'");
    }

    private long number(Object v) {
        if (v instanceof Long n) {
            return n;
        }
        try {
            return Long.parseLong(((String) v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + v + "\" is not a number");
        }
    }

    private static Long bool(boolean b) {
        return b ? 1L : 0L;
    }

    private boolean take(String op) {
        skipSpace();
        if (!text.startsWith(op, pos)) {
            return false;
        }
        // "<" must not take the first half of "<=", nor "!" of "!="
        if ((op.equals("<") || op.equals(">") || op.equals("!")) && text.startsWith("=", pos + 1)) {
            return false;
        }
        pos += op.length();
        return true;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
