package org.siphon.core.internal.script;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.ActionContext;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.function.RouteType;
import org.siphon.core.function.ScriptHandle;
import org.siphon.core.pv.PseudoVariableExport;
import org.siphon.core.pv.PseudoVariableExport.InnerName;

/**
 * A pseudo-variable read through {@link ScriptHandle#value} — as a module does for a
 * pseudo-variable inside another one's name, {@code $sht(t=>$subs(callid))} — sees the run it was
 * taken from: its module attributes, {@code $var}s, flags and branch flags.
 */
class RunHandleTest extends ScriptTestSupport {

    final List<Object> seen = new ArrayList<>();

    RunHandleTest() {
        functions.add(List.of(
                FunctionExport.builder("mark", "tm").args(1)
                        .handler((ctx, a) -> { ctx.attribute("mark", a[0]); return 1; }).build(),
                FunctionExport.builder("note", "tm").args(1).routes(RouteType.any())
                        .handler((ctx, a) -> { calls.add("note " + a[0]); return 1; }).build(),
                FunctionExport.builder("nested", "tm").args(1)
                        .handler((ctx, a) -> {
                            ScriptHandle h = ctx.scriptHandle();
                            seen.add(h.value("$" + a[0], ctx.message()));
                            return 1;
                        }).build()));
        pvs.add(List.of(
                PseudoVariableExport.builder("markpv", "tm").getter((c, n) -> c.attribute("mark")).build(),
                PseudoVariableExport.builder("bflags", "tm").getter((c, n) -> c.branchFlags()).build(),
                // as htable's $sht(table=>$pv): the inner name holds a pseudo-variable read through the handle
                PseudoVariableExport.builder("outer", "tm").innerName(InnerName.REQUIRED, n -> n)
                        .getter((c, n) -> "k=" + c.scriptHandle().value("$" + n, c.message())).build()));
    }

    @Test
    void aNestedPseudoVariableSeesTheAttributesOfTheRunItWasTakenFrom() throws Exception {
        run("mark(\"sub-1\"); nested(\"markpv\");");
        assertEquals(List.of("sub-1"), seen);
    }

    @Test
    void aNestedPseudoVariableSeesVarsFlagsAndBranchFlags() throws Exception {
        run("$var(k) = \"v1\"; setflag(3); setbflag(2); nested(\"var(k)\"); nested(\"bflags\"); nested(\"mf\");");
        assertEquals(3, seen.size(), seen::toString);
        assertEquals("v1", String.valueOf(seen.get(0)));
        assertEquals(4L, ((Number) seen.get(1)).longValue());
        assertEquals(8L, ((Number) seen.get(2)).longValue());
    }

    /** {@code xlog("$sht(t=>$subs(callid))")}: a function's parameter, a pseudo-variable, one inside its name. */
    @Test
    void aPseudoVariableInsideAnotherOnesNameInAFunctionParameterSeesTheAttributes() throws Exception {
        run("mark(\"sub-2\"); echo(\"$outer(markpv)\"); $var(x) = $outer(markpv); echo(\"$var(x)\");");
        assertEquals(List.of("echo k=sub-2", "echo k=sub-2"), calls);
    }

    /** tm runs each branch's routes with that branch's flags; without them, with the relaying run's. */
    @Test
    void aRouteRunsWithTheBranchFlagsItIsGivenElseWithTheOriginRunsFlags() throws Exception {
        Script script = load("request_route {\n setbflag(1);\n}\n"
                + "branch_route[b] {\n if (isbflagset(3)) { note(\"three\"); }\n if (isbflagset(1)) { note(\"one\"); }\n setbflag(5);\n}\n");
        ScriptRun origin = ScriptEngine.run(script, core, request("sip:bob@biloxi.example.com"), "0", RouteType.REQUEST);
        ScriptHandle h = origin.scriptHandle();

        ActionContext own = h.run("branch_route[b]", RouteType.BRANCH, origin.message(), Map.of(), 1L << 3);
        assertEquals(List.of("note three"), calls);
        assertEquals(1L << 3 | 1L << 5, own.branchFlags(), "what the route set is in the context it returns");

        calls.clear();
        ActionContext inherited = h.run("branch_route[b]", RouteType.BRANCH, origin.message(), Map.of());
        assertEquals(List.of("note one"), calls);
        assertEquals(1L << 1 | 1L << 5, inherited.branchFlags());
    }

    @Test
    void anUnknownOrFailingPseudoVariableReadsAsNull() throws Exception {
        run("nested(\"nosuchpv\");");
        assertEquals(1, seen.size());
        assertEquals(null, seen.get(0));
    }
}
