package org.siphon.core.internal.script;

import java.util.List;
import java.util.Objects;

/** The compiled statements of the script language, with Kamailio's return-code rules. */
final class Statements {

    /** Kamailio's {@code max_while_loops}: a while loop stops after this many iterations. */
    static final int MAX_WHILE_LOOPS = 100;
    /** Deepest nesting of route() calls. */
    static final int MAX_ROUTE_DEPTH = 100;

    private Statements() {
    }

    /** Runs statements in order until one leaves the block (return, exit, drop, break). */
    record Block(List<Node> nodes) implements Node {
        @Override
        public int run(ScriptRun r) throws Exception {
            int rc = 1;
            for (int i = 0, size = nodes.size(); i < size; i++) { // no iterator per run: blocks run per message
                rc = nodes.get(i).run(r);
                if (r.flow != ScriptRun.Flow.NEXT) {
                    return rc;
                }
            }
            return rc;
        }
    }

    /** A condition: function calls are true when they return more than 0, other values by their truth. */
    static boolean test(Expr e, ScriptRun r) throws Exception {
        return CallExpr.truth(e, e.eval(r));
    }

    record If(Expr condition, Node then, Node otherwise) implements Node {
        @Override
        public int run(ScriptRun r) throws Exception {
            boolean holds = test(condition, r);
            if (r.flow != ScriptRun.Flow.NEXT) {
                return 0; // a function in the condition answered 0: the script ends here
            }
            if (holds) {
                return then.run(r);
            }
            return otherwise == null ? 1 : otherwise.run(r);
        }
    }

    /** One {@code case value:} (value null for {@code default:}) and the statements under it. */
    record Case(Object value, List<Node> body) {
    }

    /** C-like switch: runs from the matching case on until a break; strings and numbers compare by value. */
    record Switch(Expr subject, List<Case> cases) implements Node {
        @Override
        public int run(ScriptRun r) throws Exception {
            Object v = subject.eval(r);
            int start = -1;
            for (int i = 0; i < cases.size() && start < 0; i++) {
                Object c = cases.get(i).value();
                if (c != null && (Values.isNumeric(c) && Values.isNumeric(v) ? Values.toLong(c) == Values.toLong(v)
                        : Values.toText(c).equals(Values.toText(v)))) {
                    start = i;
                }
            }
            for (int i = 0; i < cases.size() && start < 0; i++) {
                if (cases.get(i).value() == null) {
                    start = i;
                }
            }
            int rc = 1;
            for (int i = Math.max(start, 0); start >= 0 && i < cases.size(); i++) {
                for (Node n : cases.get(i).body()) {
                    rc = n.run(r);
                    if (r.flow == ScriptRun.Flow.BREAK) {
                        r.flow = ScriptRun.Flow.NEXT;
                        return rc;
                    }
                    if (r.flow != ScriptRun.Flow.NEXT) {
                        return rc;
                    }
                }
            }
            return rc;
        }
    }

    /** A loop that stops after {@code maxLoops} rounds (Kamailio's {@code max_while_loops}). */
    record While(Expr condition, Node body, int maxLoops) implements Node {
        @Override
        public int run(ScriptRun r) throws Exception {
            int rc = 1;
            for (int i = 0; i < maxLoops && test(condition, r) && r.flow == ScriptRun.Flow.NEXT; i++) {
                rc = body.run(r);
                if (r.flow == ScriptRun.Flow.BREAK) {
                    r.flow = ScriptRun.Flow.NEXT;
                    break;
                }
                if (r.flow != ScriptRun.Flow.NEXT) {
                    break;
                }
            }
            return rc;
        }
    }

    /** {@code return [expr]}: ends the route with the value (1 without one); {@code return 0} ends the script. */
    record Return(Expr value) implements Node {
        @Override
        public int run(ScriptRun r) throws Exception {
            int rc = value == null ? 1 : (int) Values.toLong(value.eval(r));
            r.retcode = rc;
            r.flow = rc == 0 ? ScriptRun.Flow.EXIT : ScriptRun.Flow.RETURN;
            return rc;
        }
    }

    /** {@code exit}, {@code drop} (also marks the message dropped) and {@code break}. */
    record Jump(ScriptRun.Flow flow, boolean drop) implements Node {
        @Override
        public int run(ScriptRun r) {
            r.flow = flow;
            if (drop) {
                r.dropped = true;
            }
            return 0;
        }
    }

    /** {@code route(NAME)}: runs the named block; its return value is the statement's. */
    record RouteCall(String name) implements Node {
        @Override
        public int run(ScriptRun r) throws Exception {
            Node block = r.script.route(name);
            if (r.depth >= MAX_ROUTE_DEPTH) {
                throw new IllegalStateException("route(" + name + ") nested deeper than " + MAX_ROUTE_DEPTH);
            }
            r.depth++;
            try {
                int rc = block.run(r);
                if (r.flow == ScriptRun.Flow.RETURN) {
                    r.flow = ScriptRun.Flow.NEXT;
                    rc = r.retcode;
                }
                r.retcode = rc;
                return rc;
            } finally {
                r.depth--;
            }
        }
    }

    /** An expression used as a statement (a function call); a call returning 0 ends the script. */
    record Evaluate(Expr expr) implements Node {
        @Override
        public int run(ScriptRun r) throws Exception {
            Object v = expr.eval(r);
            int rc = v instanceof Long l ? (int) (long) l : Values.truthy(v) ? 1 : -1;
            if (rc == 0 && r.flow == ScriptRun.Flow.NEXT) {
                r.flow = ScriptRun.Flow.EXIT;
            }
            return rc;
        }
    }

    /** {@code $pv = expr;} */
    record Assign(Pv target, Expr value) implements Node {
        Assign {
            Objects.requireNonNull(target);
        }

        @Override
        public int run(ScriptRun r) throws Exception {
            target.set(r, value.eval(r));
            return 1;
        }
    }
}
