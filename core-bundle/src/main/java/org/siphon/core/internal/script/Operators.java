package org.siphon.core.internal.script;

import java.util.regex.Pattern;

/**
 * Kamailio's expression operators. Comparisons are numeric when both sides are numbers (or
 * integer text) and textual otherwise; {@code eq/ne} always compare text, {@code ieq/ine} ignoring
 * case; {@code =~}/{@code !~} match a regular expression anywhere in the text (compiled once when
 * the right side is a literal); {@code +} adds numbers and joins text.
 */
final class Operators {

    private Operators() {
    }

    record Unary(String op, Expr operand) implements Expr {
        @Override
        public Object eval(ScriptRun r) throws Exception {
            Object v = operand.eval(r);
            return switch (op) {
                case "!" -> !CallExpr.truth(operand, v);
                case "-" -> -Values.toLong(v);
                case "~" -> ~Values.toLong(v);
                case "defined" -> v != null;
                case "strlen" -> (long) (v == null ? 0 : Values.toText(v).length());
                case "strempty" -> v == null || Values.toText(v).isEmpty();
                case "(int)" -> Values.toLong(v);
                case "(str)" -> Values.toText(v);
                default -> throw new IllegalStateException(op);
            };
        }
    }

    record Logical(boolean and, Expr left, Expr right) implements Expr {
        @Override
        public Object eval(ScriptRun r) throws Exception {
            boolean l = CallExpr.truth(left, left.eval(r));
            if (and ? !l : l) {
                return l;
            }
            return CallExpr.truth(right, right.eval(r));
        }
    }

    record Match(Expr left, Expr right, Pattern constant, boolean negate) implements Expr {
        @Override
        public Object eval(ScriptRun r) throws Exception {
            Pattern p = constant != null ? constant : Pattern.compile(Values.toText(right.eval(r)));
            boolean found = p.matcher(Values.toText(left.eval(r))).find();
            return found != negate;
        }
    }

    record Binary(String op, Expr left, Expr right) implements Expr {
        @Override
        public Object eval(ScriptRun r) throws Exception {
            Object a = left.eval(r);
            Object b = right.eval(r);
            boolean numeric = Values.isNumeric(a) && Values.isNumeric(b);
            return switch (op) {
                case "==" -> numeric ? (Object) (Values.toLong(a) == Values.toLong(b)) : equalText(a, b);
                case "!=" -> numeric ? (Object) (Values.toLong(a) != Values.toLong(b)) : !equalText(a, b);
                case "eq" -> equalText(a, b);
                case "ne" -> !equalText(a, b);
                case "ieq" -> Values.toText(a).equalsIgnoreCase(Values.toText(b));
                case "ine" -> !Values.toText(a).equalsIgnoreCase(Values.toText(b));
                case ">", "<", ">=", "<=" -> compare(op, numeric ? Long.compare(Values.toLong(a), Values.toLong(b))
                        : Values.toText(a).compareTo(Values.toText(b)));
                case "+" -> numeric || a instanceof Long && b == null ? (Object) (Values.toLong(a) + Values.toLong(b))
                        : Values.toText(a) + Values.toText(b);
                case "-" -> Values.toLong(a) - Values.toLong(b);
                case "*" -> Values.toLong(a) * Values.toLong(b);
                case "/" -> Values.toLong(b) == 0 ? 0L : Values.toLong(a) / Values.toLong(b);
                case "mod" -> Values.toLong(b) == 0 ? 0L : Values.toLong(a) % Values.toLong(b);
                case "&" -> Values.toLong(a) & Values.toLong(b);
                case "|" -> Values.toLong(a) | Values.toLong(b);
                case "^" -> Values.toLong(a) ^ Values.toLong(b);
                case "<<" -> Values.toLong(a) << Values.toLong(b);
                case ">>" -> Values.toLong(a) >> Values.toLong(b);
                default -> throw new IllegalStateException(op);
            };
        }

        private static boolean equalText(Object a, Object b) {
            if (a == null || b == null) {
                return a == b;
            }
            return Values.toText(a).equals(Values.toText(b));
        }

        private static boolean compare(String op, int c) {
            return switch (op) {
                case ">" -> c > 0;
                case "<" -> c < 0;
                case ">=" -> c >= 0;
                default -> c <= 0;
            };
        }
    }
}
