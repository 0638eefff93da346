package org.siphon.example.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.siphon.core.function.FunctionExport;
import org.siphon.core.rpc.RpcException;
import org.siphon.core.rpc.RpcParams;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestConfigs;
import org.siphon.test.TestMessages;

/** The component built from its typed configuration and called through its exports, as the core calls them. */
class HelloComponentTest {

    private static HelloComponent component(Object... overrides) {
        HelloComponent c = new HelloComponent();
        c.activate(TestConfigs.of(HelloComponent.Config.class, overrides));
        return c;
    }

    private static Map<?, ?> hello(HelloComponent c, Object... params) throws Exception {
        return (Map<?, ?>) c.rpcCommands().get(0).handler().call(new RpcParams("hello.hello", List.of(params)));
    }

    @Test
    void theFunctionReturnsOneWithOrWithoutAName() throws Exception {
        HelloComponent c = component();
        FunctionExport f = c.functions().get(0);
        assertEquals("hello", f.name());
        TestActionContext ctx = TestActionContext.request(TestMessages.request("OPTIONS", "sip:bob@example.com", ""));
        assertEquals(1, f.handler().call(ctx, f.fixup().apply(List.of())));
        assertEquals(1, f.handler().call(ctx, f.fixup().apply(List.of("alice"))));
        assertEquals(3L, hello(c).get("count"), "two calls of the function, one of the RPC");
    }

    @Test
    void theParameterIsWhatThePseudoVariableAndTheRpcSay() throws Exception {
        HelloComponent c = component("greeting", "Good morning");
        TestActionContext ctx = TestActionContext.request(TestMessages.request("OPTIONS", "sip:bob@example.com", ""));
        assertEquals("Good morning", c.pseudoVariables().get(0).getter().get(ctx, null));
        assertEquals("Good morning, bob", c.pseudoVariables().get(0).getter().get(ctx, "bob"));
        assertEquals("Good morning, eve", hello(c, "eve").get("greeting"));
        assertEquals(4L, hello(c).get("count"), "two reads of the pseudo-variable, two calls of the RPC");
    }

    @Test
    void theDefaultGreetingNamesTheModule() throws Exception {
        assertEquals("Hello from hello", hello(component()).get("greeting"));
    }

    @Test
    void theRpcRefusesTwoNames() {
        RpcException e = assertThrows(RpcException.class, () -> hello(component(), "a", "b"));
        assertEquals(RpcException.INVALID_PARAMS, e.code());
    }
}
