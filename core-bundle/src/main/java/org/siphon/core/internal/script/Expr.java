package org.siphon.core.internal.script;

/** A compiled expression: a {@link Long}, a {@link String}, a {@link Boolean} or null. */
@FunctionalInterface
interface Expr {

    Object eval(ScriptRun r) throws Exception;
}
