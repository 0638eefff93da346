package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.rpc.RpcParams;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestConfigs;
import org.siphon.test.TestMessages;

/** The component built from its typed configuration and called through its exports, as the core calls them. */
class ${moduleClass}ComponentTest {

    private static ${moduleClass}Component component(Object... overrides) {
        ${moduleClass}Component c = new ${moduleClass}Component();
        c.activate(TestConfigs.of(${moduleClass}Component.Config.class, overrides));
        return c;
    }

    @Test
    void theFunctionReturnsOne() throws Exception {
        ${moduleClass}Component c = component();
        FunctionExport f = c.functions().get(0);
        assertEquals("${module}", f.name());
        TestActionContext ctx = TestActionContext.request(TestMessages.request("OPTIONS", "sip:bob@example.com", ""));
        assertEquals(1, f.handler().call(ctx, f.fixup().apply(List.of())));
    }

    @Test
    void theParameterIsWhatThePseudoVariableAndTheRpcSay() throws Exception {
        ${moduleClass}Component c = component("greeting", "Good morning");
        TestActionContext ctx = TestActionContext.request(TestMessages.request("OPTIONS", "sip:bob@example.com", ""));
        assertEquals("Good morning", c.pseudoVariables().get(0).getter().get(ctx, null));
        Map<?, ?> hello = (Map<?, ?>) c.rpcCommands().get(0).handler().call(new RpcParams("${module}.hello", List.of()));
        assertEquals("Good morning", hello.get("greeting"));
        assertEquals(2L, hello.get("count"));
    }

    @Test
    void theDefaultGreetingNamesTheModule() throws Exception {
        Map<?, ?> hello = (Map<?, ?>) component().rpcCommands().get(0).handler().call(new RpcParams("${module}.hello", List.of()));
        assertEquals("Hello from ${module}", hello.get("greeting"));
    }
}
