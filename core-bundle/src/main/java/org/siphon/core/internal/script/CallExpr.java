package org.siphon.core.internal.script;

/**
 * An expression that is a call (a function or a route): its value is a return code, and as a
 * condition it is true when positive, false when negative (Kamailio's rule), unlike a plain value,
 * which is true when non-zero or non-empty.
 */
@FunctionalInterface
interface CallExpr extends Expr {

    /** The truth of {@code value} as produced by {@code e}. */
    static boolean truth(Expr e, Object value) {
        return e instanceof CallExpr ? Values.toLong(value) > 0 : Values.truthy(value);
    }
}
