package org.siphon.core.internal.script;

/** A compiled statement: runs for one message and returns its return code. */
@FunctionalInterface
interface Node {

    int run(ScriptRun r) throws Exception;
}
